package io.stepwise.planner.pipeline;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static io.stepwise.planner.testing.Problems.assertProblem;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import io.stepwise.model.StepState;
import io.stepwise.planner.testing.FakeExecutor;
import io.stepwise.planner.testing.FakeExecutor.Reply;
import io.stepwise.planner.testing.AdminByDefault;
import io.stepwise.testing.IssuerResource;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rollouts through the real broker and real Postgres: the planner dispatches steps through its outbox, applies
 * the status events that come back, and keeps order, parallelism, failure policy, pause, resume and cancel.
 * The executor's side is played by {@link FakeExecutor}.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AdminByDefault.class, scope = TestResourceScope.GLOBAL)
class RolloutPipelineTest {

    private static FakeExecutor executor;

    @Inject
    EntityManager em;

    @BeforeAll
    static void startFakeExecutor() {
        executor = new FakeExecutor();
    }

    @AfterAll
    static void stopFakeExecutor() throws InterruptedException {
        executor.close();
    }

    private static void register(String id, String version, String fleet) {
        given().contentType(ContentType.JSON)
                .body("{\"id\": \"" + id + "\", \"product\": \"weaviate\", \"version\": \"" + version + "\", \"nodes\": 3,"
                        + " \"endpoint\": \"http://localhost:9/" + id + "\", \"labels\": {\"fleet\": \"" + fleet + "\"}}")
                .when().post("/api/v1/clusters").then().statusCode(201);
    }

    private static String startRollout(String body) {
        return given().contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/rollouts")
                .then().statusCode(202)
                .extract().path("id");
    }

    private static JsonPath rollout(String id) {
        return given().when().get("/api/v1/rollouts/" + id).then().statusCode(200).extract().jsonPath();
    }

    private static void awaitState(String id, String state) {
        await().atMost(Duration.ofSeconds(60)).until(() -> rollout(id).getString("state").equals(state));
    }

    @Test
    void rolloutOfManyClustersKeepsOrderAndParallelismAndEndsAtTheTarget() {
        String[] versions = {"1.25.10", "1.26.3", "1.27.27", "1.28.16", "1.29.11", "1.30.1"};
        for (int i = 0; i < 18; i++) {
            register("many-" + i, versions[i % versions.length], "many");
        }
        register("many-above", "1.31.2", "many"); // above the target: taken down to it, minor by minor (W9)
        String id = startRollout("""
                {"product": "weaviate", "targetVersion": "1.30", "selector": "fleet=many",
                 "strategy": {"maxParallel": 5}}""");
        executor.answer(id, step -> Reply.SUCCEED);

        awaitState(id, "SUCCEEDED");

        JsonPath done = rollout(id);
        assertThat(done.getList("clusters.findAll { it.state == 'SUCCEEDED' }")).hasSize(19);
        assertThat(done.getList("clusters.find { it.clusterId == 'many-above' }.steps.kind")).contains("DOWNGRADE");
        assertThat(done.getList("clusters.steps.flatten().findAll { it.state != 'SUCCEEDED' }")).isEmpty();
        int parallel = executor.maxConcurrentClusters(id);
        assertThat(parallel).as("clusters with work outstanding at once").isBetween(2, 5);
        assertStepsInOrderPerCluster(executor.handled(id));
        for (int i = 0; i < 18; i++) {
            given().when().get("/api/v1/clusters/many-" + i).then().statusCode(200)
                    .body("version", org.hamcrest.Matchers.equalTo("1.30.23"));
        }
        given().when().get("/api/v1/rollouts/" + id + "/audit/verify").then().statusCode(200)
                .body("valid", org.hamcrest.Matchers.equalTo(true));
        given().when().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("stepwise_steps_dispatched_total{kind=\"BACKUP\"}"))
                .body(org.hamcrest.Matchers.containsString("stepwise_steps_finished_total{kind=\"VERIFY\",state=\"SUCCEEDED\"}"))
                .body(org.hamcrest.Matchers.containsString("stepwise_step_duration_seconds_bucket"));
        given().when().get("/q/health/ready").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("Kafka"))
                .body(org.hamcrest.Matchers.containsString("Database"));
    }

    private static void assertStepsInOrderPerCluster(List<FakeExecutor.Handled> handled) {
        Map<String, List<Integer>> seqs = new java.util.TreeMap<>();
        for (FakeExecutor.Handled h : handled.stream()
                .sorted(java.util.Comparator.comparingLong(FakeExecutor.Handled::receivedAt)).toList()) {
            seqs.computeIfAbsent(h.step().clusterId(), k -> new ArrayList<>()).add(h.step().seq());
        }
        seqs.forEach((cluster, order) -> {
            for (int i = 0; i < order.size(); i++) {
                assertThat(order.get(i)).as("steps of %s in order, each once", cluster).isEqualTo(i + 1);
            }
        });
    }

    @Test
    void failedBackupHaltsItsClusterWhileTheOthersGoOn() {
        register("fail-a", "1.29.0", "fail");
        register("fail-b", "1.29.0", "fail");
        register("fail-c", "1.29.0", "fail");
        String id = startRollout("""
                {"product": "weaviate", "targetVersion": "1.30", "selector": "fleet=fail",
                 "strategy": {"maxParallel": 3, "failurePolicy": {"maxFailedClusters": 2}}}""");
        executor.answer(id, step -> step.clusterId().equals("fail-b") && step.kind() == StepKind.BACKUP
                ? Reply.FAIL : Reply.SUCCEED);

        awaitState(id, "FAILED");

        JsonPath done = rollout(id);
        assertThat(done.getString("clusters.find { it.clusterId == 'fail-b' }.state")).isEqualTo("FAILED");
        assertThat(done.getString("clusters.find { it.clusterId == 'fail-a' }.state")).isEqualTo("SUCCEEDED");
        assertThat(done.getString("clusters.find { it.clusterId == 'fail-c' }.state")).isEqualTo("SUCCEEDED");
        assertThat(done.getString("clusters.find { it.clusterId == 'fail-b' }.message")).contains("BACKUP");
        assertThat(executor.handled(id).stream().filter(h -> h.step().clusterId().equals("fail-b")))
                .as("no hop after the failed backup").extracting(h -> h.step().kind()).containsExactly(StepKind.BACKUP);
        given().when().get("/api/v1/clusters/fail-b").then().body("version", org.hamcrest.Matchers.equalTo("1.29.0"));
    }

    @Test
    void failurePolicyStopsReleasingClusters() {
        for (int i = 0; i < 4; i++) {
            register("stop-" + i, "1.29.0", "stop");
        }
        String id = startRollout("""
                {"product": "weaviate", "targetVersion": "1.30", "selector": "fleet=stop"}""");
        executor.answer(id, step -> step.kind() == StepKind.BACKUP ? Reply.FAIL : Reply.SUCCEED);

        awaitState(id, "FAILED");

        JsonPath done = rollout(id);
        assertThat(done.getList("clusters.state")).containsExactly("FAILED", "CANCELLED", "CANCELLED", "CANCELLED");
        assertThat(done.getString("message")).contains("failure policy");
    }

    @Test
    void pauseHoldsTheNextStepResumeReleasesItCancelStopsTheRest() {
        register("pause-a", "1.29.0", "pause");
        register("pause-b", "1.29.0", "pause");
        String id = startRollout("""
                {"product": "weaviate", "targetVersion": "1.30", "selector": "fleet=pause"}""");
        executor.answer(id, step -> Reply.HOLD);
        await().until(() -> executor.held(id).size() == 1);

        given().when().post("/api/v1/rollouts/" + id + "/pause").then().statusCode(200)
                .body("state", org.hamcrest.Matchers.equalTo("PAUSED"));
        executor.release(executor.held(id).get(0), true);
        await().until(() -> rollout(id).getString("clusters[0].steps[0].state").equals("SUCCEEDED"));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> executor.handled(id).size() == 1);

        given().when().post("/api/v1/rollouts/" + id + "/resume").then().statusCode(200);
        await().until(() -> executor.held(id).size() == 1 && executor.held(id).get(0).seq() == 2);

        given().when().post("/api/v1/rollouts/" + id + "/cancel").then().statusCode(200)
                .body("state", org.hamcrest.Matchers.equalTo("CANCELLED"))
                .body("clusters[1].state", org.hamcrest.Matchers.equalTo("CANCELLED"));
        executor.release(executor.held(id).get(0), true);
        await().until(() -> rollout(id).getString("clusters[0].state").equals("CANCELLED"));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> executor.handled(id).size() == 2);
        given().when().post("/api/v1/rollouts/" + id + "/resume").then().statusCode(409);
    }

    @Test
    void aRolloutCanBeStartedFollowedAndSteeredInSummaryWithoutItsClusters() {
        register("summary-a", "1.29.0", "summary");
        register("summary-b", "1.29.0", "summary");
        register("summary-c", "1.29.0", "summary");
        String body = """
                {"product": "weaviate", "targetVersion": "1.30", "selector": "fleet=summary",
                 "strategy": {"maxParallel": 1}}""";
        assertProblem(given().contentType(ContentType.JSON).queryParam("view", "brief").body(body)
                .when().post("/api/v1/rollouts").then(), 400, "view");
        assertThat(given().when().get("/api/v1/rollouts?size=500").then().extract().jsonPath()
                .getList("items.selector")).as("a refused view starts nothing").doesNotContain("fleet=summary");

        JsonPath started = given().contentType(ContentType.JSON).queryParam("view", "summary").body(body)
                .when().post("/api/v1/rollouts").then().statusCode(202).extract().jsonPath();
        String id = started.getString("id");
        assertThat(started.getMap("counts")).containsEntry("RUNNING", 1).containsEntry("WAITING", 2);
        assertThat(started.getList("clusters")).as("no per-cluster detail in summary").isNull();
        executor.answer(id, step -> Reply.HOLD);
        await().until(() -> executor.held(id).size() == 1);

        assertProblem(given().queryParam("view", "compact").when().post("/api/v1/rollouts/" + id + "/pause").then(),
                400, "view");
        JsonPath paused = given().queryParam("view", "summary").when().post("/api/v1/rollouts/" + id + "/pause")
                .then().statusCode(200).extract().jsonPath();
        assertThat(paused.getString("state")).as("paused once, by the request with a good view").isEqualTo("PAUSED");
        assertThat(paused.getList("clusters")).isNull();

        executor.answer(id, step -> Reply.SUCCEED);
        given().queryParam("view", "summary").when().post("/api/v1/rollouts/" + id + "/resume").then().statusCode(200);
        executor.held(id).forEach(step -> executor.release(step, true));
        await().atMost(Duration.ofSeconds(60)).until(() -> given().queryParam("view", "summary")
                .when().get("/api/v1/rollouts/" + id).then().statusCode(200).extract().path("state").equals("SUCCEEDED"));

        JsonPath summary = given().queryParam("view", "summary").when().get("/api/v1/rollouts/" + id)
                .then().statusCode(200).extract().jsonPath();
        assertThat(summary.getMap("counts")).containsExactly(Map.entry("SUCCEEDED", 3));
        assertThat(summary.getMap("waves[0].counts")).containsExactly(Map.entry("SUCCEEDED", 3));
        assertThat(summary.getList("clusters")).isNull();
        assertThat(summary.getString("finishedAt")).isNotNull();
        assertThat(rollout(id).getList("clusters.clusterId")).as("the default view still carries every cluster")
                .containsExactlyInAnyOrder("summary-a", "summary-b", "summary-c");
        assertProblem(given().queryParam("view", "everything").when().get("/api/v1/rollouts/" + id).then(),
                400, "view");
        given().when().get("/api/v1/rollouts/" + id + "/audit").then().statusCode(200)
                .body("findAll { it.type == 'rollout.paused' }.size()", org.hamcrest.Matchers.equalTo(1));
    }

    @Test
    void refusedClustersAreReportedNotDropped() {
        register("mixed-ok", "1.28.5", "mixed");
        register("mixed-trap", "1.30.5", "mixed");
        String id = startRollout("""
                {"product": "weaviate", "targetVersion": "1.27.20", "selector": "fleet=mixed"}""");
        executor.answer(id, step -> Reply.SUCCEED);

        awaitState(id, "SUCCEEDED");
        JsonPath done = rollout(id);
        assertThat(done.getString("clusters.find { it.clusterId == 'mixed-trap' }.state")).isEqualTo("SKIPPED");
        assertThat(done.getString("clusters.find { it.clusterId == 'mixed-trap' }.refusalCode"))
                .isEqualTo("DOWNGRADE_BLOCKED");
        assertThat(done.getString("clusters.find { it.clusterId == 'mixed-ok' }.state")).isEqualTo("SUCCEEDED");
    }

    @Test
    void sameIdempotencyKeyAndBodyGiveTheSameRollout() {
        register("idem-a", "1.29.0", "idem");
        String body = "{\"product\": \"weaviate\", \"targetVersion\": \"1.30\", \"selector\": \"fleet=idem\"}";
        String first = given().contentType(ContentType.JSON).header("Idempotency-Key", "k-1").body(body)
                .when().post("/api/v1/rollouts").then().statusCode(202).extract().path("id");
        String again = given().contentType(ContentType.JSON).header("Idempotency-Key", "k-1").body(body)
                .when().post("/api/v1/rollouts").then().statusCode(202).extract().path("id");
        assertThat(again).isEqualTo(first);

        given().contentType(ContentType.JSON).header("Idempotency-Key", "k-1")
                .body("{\"product\": \"weaviate\", \"targetVersion\": \"1.29\", \"selector\": \"fleet=idem\"}")
                .when().post("/api/v1/rollouts").then().statusCode(422).contentType("application/problem+json");
        given().when().post("/api/v1/rollouts/" + first + "/cancel").then().statusCode(200);
    }

    @Test
    void badRolloutRequestsAreRefusedAndCreateNothing() {
        long before = given().when().get("/api/v1/rollouts?size=500").then().extract().jsonPath().getLong("total");
        given().contentType(ContentType.JSON).body("{\"product\": \"weaviate\", \"targetVersion\": \"1.30\","
                + " \"clusterIds\": [\"nope-1\"]}").when().post("/api/v1/rollouts")
                .then().statusCode(400).body("errors.field", org.hamcrest.Matchers.hasItem("clusterIds[0]"));
        given().contentType(ContentType.JSON).body("{\"product\": \"weaviate\", \"targetVersion\": \"1.30\","
                + " \"selector\": \"fleet=nobody\"}").when().post("/api/v1/rollouts").then().statusCode(400);
        given().contentType(ContentType.JSON).body("{\"product\": \"weaviate\", \"targetVersion\": \"1.30\","
                + " \"selector\": \"fleet=many\", \"strategy\": {\"maxParallel\": 0}}").when().post("/api/v1/rollouts")
                .then().statusCode(400).body("errors.field", org.hamcrest.Matchers.hasItem("strategy.maxParallel"));
        given().when().get("/api/v1/rollouts/does-not-exist").then().statusCode(404);
        long after = given().when().get("/api/v1/rollouts?size=500").then().extract().jsonPath().getLong("total");
        assertThat(after).isEqualTo(before);
    }

    @Test
    void redeliveredStatusIsAppliedOnceAndPoisonGoesToTheDeadLetterTopic() throws Exception {
        register("redeliver-a", "1.29.0", "redeliver");
        String id = startRollout("""
                {"product": "weaviate", "targetVersion": "1.30", "selector": "fleet=redeliver"}""");
        executor.answer(id, step -> Reply.HOLD);
        await().until(() -> executor.held(id).size() == 1);
        StepRequested backup = executor.held(id).get(0);

        String poison = "not a status " + UUID.randomUUID();
        executor.sendGarbage("redeliver-a", poison);
        String eventId = UUID.randomUUID().toString();
        executor.send(FakeExecutor.status(backup, StepState.SUCCEEDED, "done"), eventId);
        executor.send(FakeExecutor.status(backup, StepState.SUCCEEDED, "done"), eventId);

        await().until(() -> executor.held(id).size() == 2);
        assertThat(executor.held(id).get(1).seq()).isEqualTo(2);
        JsonPath audit = given().when().get("/api/v1/rollouts/" + id + "/audit").then().extract().jsonPath();
        assertThat(audit.getList("findAll { it.type == 'step.succeeded' }")).hasSize(1);
        assertThat(deadLetters()).contains(poison);
        given().when().post("/api/v1/rollouts/" + id + "/cancel").then().statusCode(200);
    }

    private static List<String> deadLetters() {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = KafkaResource.consumer("dlq-reader", "earliest")) {
            consumer.subscribe(List.of("stepwise.step-status.dlq"));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
                return !values.isEmpty();
            });
        }
        return values;
    }

    @Test
    void tamperingWithOneAuditEntryIsDetected() {
        register("audit-a", "1.29.0", "audit");
        String id = startRollout("""
                {"product": "weaviate", "targetVersion": "1.30", "selector": "fleet=audit"}""");
        executor.answer(id, step -> Reply.SUCCEED);
        awaitState(id, "SUCCEEDED");
        given().when().get("/api/v1/rollouts/" + id + "/audit/verify").then().body("valid", org.hamcrest.Matchers.equalTo(true));

        tamper(id, 3);

        given().when().get("/api/v1/rollouts/" + id + "/audit/verify").then()
                .body("valid", org.hamcrest.Matchers.equalTo(false))
                .body("brokenAt", org.hamcrest.Matchers.equalTo(3));
    }

    @Test
    void removingTheLastAuditEntryIsDetectedToo() {
        register("audit-b", "1.29.0", "audit-b");
        String id = startRollout("""
                {"product": "weaviate", "targetVersion": "1.30", "selector": "fleet=audit-b"}""");
        executor.answer(id, step -> Reply.SUCCEED);
        awaitState(id, "SUCCEEDED");

        int last = rollout(id).getInt("id.size()") > 0 ? deleteLast(id) : 0;

        given().when().get("/api/v1/rollouts/" + id + "/audit/verify").then()
                .body("valid", org.hamcrest.Matchers.equalTo(false))
                .body("brokenAt", org.hamcrest.Matchers.equalTo(last));
    }

    @Transactional
    void tamper(String rolloutId, int seq) {
        em.createNativeQuery("update audit_entry set details = '{\"state\":\"forged\"}' where rollout_id = ?1 and seq = ?2")
                .setParameter(1, rolloutId).setParameter(2, seq).executeUpdate();
    }

    @Transactional
    int deleteLast(String rolloutId) {
        int last = ((Number) em.createNativeQuery("select max(seq) from audit_entry where rollout_id = ?1")
                .setParameter(1, rolloutId).getSingleResult()).intValue();
        em.createNativeQuery("delete from audit_entry where rollout_id = ?1 and seq = ?2")
                .setParameter(1, rolloutId).setParameter(2, last).executeUpdate();
        return last;
    }

    @Test
    void wavesGoOneAfterAnotherAndTheRolloutPausesAfterTheCanary() {
        for (String c : List.of("waves-a", "waves-b", "waves-c", "waves-d")) {
            register(c, "1.29.0", "waves");
        }
        String id = startRollout("""
                {"product": "weaviate", "targetVersion": "1.30", "selector": "fleet=waves",
                 "strategy": {"maxParallel": 5, "waves": [
                   {"name": "canary", "clusterIds": ["waves-c"], "pauseAfter": true},
                   {"name": "early", "clusterIds": ["waves-a"]}]}}""");
        executor.answer(id, step -> Reply.SUCCEED);

        awaitState(id, "PAUSED");
        JsonPath paused = rollout(id);
        assertThat(paused.getString("message")).isEqualTo("wave 'canary' has finished; resume to start wave 'early'");
        assertThat(paused.getList("waves.name")).containsExactly("canary", "early", "remaining");
        assertThat(paused.getString("currentWave")).isEqualTo("early");
        assertThat(paused.getString("clusters.find { it.clusterId == 'waves-c' }.state")).isEqualTo("SUCCEEDED");
        assertThat(paused.getList("clusters.findAll { it.state == 'WAITING' }.clusterId"))
                .containsExactlyInAnyOrder("waves-a", "waves-b", "waves-d");
        assertThat(executor.handled(id)).extracting(h -> h.step().clusterId()).containsOnly("waves-c");
        // the list shows the same counts, overall and per wave, without the clusters
        JsonPath listed = given().when().get("/api/v1/rollouts?state=PAUSED&size=100").then().statusCode(200)
                .extract().jsonPath();
        String item = "items.find { it.id == '" + id + "' }";
        assertThat(listed.getMap(item + ".counts")).isEqualTo(Map.of("WAITING", 3, "SUCCEEDED", 1));
        assertThat(listed.getList(item + ".waves.counts")).isEqualTo(paused.getList("waves.counts"));
        assertThat(listed.getString(item + ".currentWave")).isEqualTo("early");
        assertThat(listed.getList(item + ".clusters")).isNull();

        given().when().post("/api/v1/rollouts/" + id + "/resume").then().statusCode(200);
        awaitState(id, "SUCCEEDED");

        List<FakeExecutor.Handled> handled = executor.handled(id);
        long earlyDone = handled.stream().filter(h -> h.step().clusterId().equals("waves-a"))
                .mapToLong(FakeExecutor.Handled::answeredAt).max().orElseThrow();
        long remainingFirst = handled.stream().filter(h -> h.step().clusterId().matches("waves-[bd]"))
                .mapToLong(FakeExecutor.Handled::receivedAt).min().orElseThrow();
        assertThat(remainingFirst).as("wave 'remaining' starts after wave 'early' ended").isGreaterThan(earlyDone);
        assertThat(rollout(id).getString("clusters.find { it.clusterId == 'waves-b' }.wave")).isEqualTo("remaining");
        given().when().get("/api/v1/rollouts/" + id + "/audit").then().statusCode(200)
                .body("type", org.hamcrest.Matchers.hasItems("wave.finished", "rollout.paused", "rollout.resumed"));
    }

    @Test
    void aWaveThatTakesNoClusterIsRefusedBeforeAnythingStarts() {
        register("wavebad-a", "1.29.0", "wavebad");
        given().contentType(ContentType.JSON).body("""
                        {"product": "weaviate", "targetVersion": "1.30", "selector": "fleet=wavebad",
                         "strategy": {"waves": [{"name": "canary", "selector": "ring=canary"},
                                                {"clusterIds": ["not-in-this-rollout"]}]}}""")
                .when().post("/api/v1/rollouts")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.hasItems("strategy.waves[0]", "strategy.waves[1].clusterIds[0]"))
                .body("errors.message", org.hamcrest.Matchers.hasItem(
                        "wave 'canary' takes none of the rollout's clusters"));
        given().when().get("/api/v1/rollouts?size=100").then().statusCode(200)
                .body("items.selector", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("fleet=wavebad")));
    }


    @Test
    void aFailedClusterIsRetriedOnceItsCauseIsFixedAndTheRolloutEndsWell() {
        register("retry-a", "1.29.0", "retry");
        String id = startRollout("""
                {"product": "weaviate", "targetVersion": "1.30", "selector": "fleet=retry"}""");
        // the backup fails on its first attempt (say the bucket was full) and works once that is fixed
        executor.answer(id, step -> step.kind() == StepKind.BACKUP && step.attempt() == 1 ? Reply.FAIL : Reply.SUCCEED);
        awaitState(id, "FAILED");
        given().when().post("/api/v1/rollouts/" + id + "/clusters/retry-a/approve").then().statusCode(409);

        given().header("Authorization", "Bearer " + IssuerResource.token("alice", "operator"))
                .when().post("/api/v1/rollouts/" + id + "/clusters/retry-a/retry")
                .then().statusCode(200).body("state", org.hamcrest.Matchers.equalTo("RUNNING"));
        awaitState(id, "SUCCEEDED");

        JsonPath done = rollout(id);
        assertThat(done.getString("clusters[0].state")).isEqualTo("SUCCEEDED");
        assertThat(done.getInt("clusters[0].steps[0].attempts")).isEqualTo(2);
        assertThat(done.getString("clusters[0].steps[0].error")).isNull();
        given().when().post("/api/v1/rollouts/" + id + "/clusters/retry-a/retry").then().statusCode(409)
                .body("detail", org.hamcrest.Matchers.containsString("only a FAILED cluster can be retried"));
        given().when().get("/api/v1/rollouts/" + id + "/audit").then().statusCode(200)
                .body("find { it.type == 'cluster.retried' }.actor", org.hamcrest.Matchers.equalTo("alice"));
        given().when().get("/api/v1/rollouts/" + id + "/audit/verify").then().statusCode(200)
                .body("valid", org.hamcrest.Matchers.equalTo(true));
    }


    @Test
    void aWatcherSeesTheRolloutChangeLiveAndTheStreamEndsWhenTheRolloutFinishes() throws Exception {
        given().when().get("/api/v1/rollouts/no-such-rollout/watch").then().statusCode(404);
        register("watch-a", "1.29.0", "watch");
        register("watch-b", "1.29.0", "watch");
        String id = startRollout("""
                {"product": "weaviate", "targetVersion": "1.30", "selector": "fleet=watch",
                 "strategy": {"maxParallel": 1}}""");
        List<JsonPath> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread reader = watch("/api/v1/rollouts/" + id + "/watch", events);

        await().atMost(Duration.ofSeconds(30)).until(() -> !events.isEmpty());
        assertThat(events.get(0).getString("state")).isEqualTo("RUNNING");
        assertThat(events.get(0).getList("clusters.clusterId")).containsExactlyInAnyOrder("watch-a", "watch-b");
        assertThat(events.get(0).getList("clusters.find { it.clusterId == 'watch-b' }.steps.kind"))
                .as("the first frame carries every cluster's plan").first().isEqualTo("BACKUP");

        // watch-a's first step ends while watch-b waits: the next event carries watch-a alone
        executor.answer(id, step -> Reply.HOLD);
        await().atMost(Duration.ofSeconds(30)).until(() -> !executor.held(id).isEmpty());
        int before = events.size();
        executor.release(executor.held(id).get(0), true);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> events.size() > before
                && events.get(events.size() - 1).getInt("clusters.find { it.clusterId == 'watch-a' }.currentSeq") == 2);
        assertThat(events.get(events.size() - 1).getList("clusters.clusterId")).containsExactly("watch-a");
        assertThat(events.get(events.size() - 1).getMap("counts"))
                .as("the counts cover every cluster, not only those sent").containsEntry("RUNNING", 1)
                .containsEntry("WAITING", 1);
        assertThat(events.get(events.size() - 1).getString(
                "clusters.find { it.clusterId == 'watch-a' }.steps.find { it.seq == 1 }.state")).isEqualTo("SUCCEEDED");

        executor.answer(id, step -> Reply.SUCCEED);
        executor.held(id).forEach(step -> executor.release(step, true));
        reader.join(Duration.ofSeconds(60).toMillis());

        assertThat(reader.isAlive()).as("the stream ends once the rollout has finished").isFalse();
        assertThat(events.get(events.size() - 1).getString("state")).isEqualTo("SUCCEEDED");
        assertThat(events.get(events.size() - 1).getString("finishedAt")).isNotNull();
        assertThat(events.get(events.size() - 1).getMap("counts")).containsExactly(java.util.Map.entry("SUCCEEDED", 2));
    }

    /** Opens a watch and collects its events on a thread of its own, which ends when the stream does. */
    private static Thread watch(String path, List<JsonPath> events) throws Exception {
        java.net.http.HttpResponse<java.util.stream.Stream<String>> stream = java.net.http.HttpClient.newHttpClient()
                .sendAsync(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:"
                                + io.restassured.RestAssured.port + path))
                        .header("Accept", "text/event-stream")
                        .header("Authorization", AdminByDefault.adminAuthorization()).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofLines())
                .get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(stream.statusCode()).isEqualTo(200);
        Thread reader = new Thread(() -> stream.body().filter(line -> line.startsWith("data:"))
                .forEach(line -> events.add(new JsonPath(line.substring("data:".length()).trim()))));
        reader.start();
        return reader;
    }

    @Test
    void aSummaryWatchSendsCountsWithoutClustersUntilTheRolloutFinishes() throws Exception {
        register("watch-sum-a", "1.29.0", "watch-sum");
        register("watch-sum-b", "1.29.0", "watch-sum");
        String id = startRollout("""
                {"product": "weaviate", "targetVersion": "1.30", "selector": "fleet=watch-sum",
                 "strategy": {"maxParallel": 1}}""");
        assertProblem(given().queryParam("view", "counts").when().get("/api/v1/rollouts/" + id + "/watch").then(),
                400, "view");
        executor.answer(id, step -> Reply.HOLD);
        List<JsonPath> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread reader = watch("/api/v1/rollouts/" + id + "/watch?view=summary", events);

        await().atMost(Duration.ofSeconds(30)).until(() -> !events.isEmpty());
        assertThat(events.get(0).getMap("counts")).containsEntry("RUNNING", 1).containsEntry("WAITING", 1);
        assertThat(events.get(0).getList("clusters")).isNull();

        executor.answer(id, step -> Reply.SUCCEED);
        await().atMost(Duration.ofSeconds(30)).until(() -> !executor.held(id).isEmpty());
        executor.held(id).forEach(step -> executor.release(step, true));
        reader.join(Duration.ofSeconds(60).toMillis());

        assertThat(reader.isAlive()).as("the stream ends once the rollout has finished").isFalse();
        assertThat(events).allSatisfy(event -> assertThat(event.getList("clusters")).isNull());
        assertThat(events.get(events.size() - 1).getString("state")).isEqualTo("SUCCEEDED");
        assertThat(events.get(events.size() - 1).getMap("counts")).containsExactly(Map.entry("SUCCEEDED", 2));
    }

}
