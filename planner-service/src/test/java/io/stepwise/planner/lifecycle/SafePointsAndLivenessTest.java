package io.stepwise.planner.lifecycle;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.stepwise.model.CloudEventHeaders;
import io.stepwise.model.StepCancel;
import io.stepwise.model.StepRequested;
import io.stepwise.model.StepState;
import io.stepwise.model.StepStatus;
import io.stepwise.model.Topics;
import io.stepwise.planner.domain.RolloutStep;
import io.stepwise.planner.service.StatusIntake;
import io.stepwise.planner.service.StatusIntake.Received;
import io.stepwise.planner.testing.AdminByDefault;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Segments, pre-flight expectations and liveness, seen from the planner: what it sends on the steps topic and how
 * the rollout moves, with the executor's side played by status events applied directly.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AdminByDefault.class, scope = TestResourceScope.GLOBAL)
class SafePointsAndLivenessTest {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    @Inject
    StatusIntake intake;

    @Inject
    RolloutLifecycle lifecycle;

    private KafkaConsumer<String, String> steps;
    private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

    @BeforeEach
    void watchTheStepsTopic() {
        steps = KafkaResource.consumer("safe-points", "latest");
        steps.subscribe(List.of(Topics.STEPS));
        while (steps.assignment().isEmpty()) {
            steps.poll(Duration.ofMillis(100));
        }
        steps.seekToEnd(steps.assignment());
        steps.assignment().forEach(steps::position);
    }

    @AfterEach
    void close() {
        steps.close();
    }

    @Test
    void aPauseRightAfterExtractWaitsUntilTheMigrationsVerify() {
        String tag = tag("pause");
        register(tag, "pachyderm", "1.8.8", null);
        String id = start("pachyderm", "1.10", tag);   // two migrations: a step follows the first one's VERIFY
        JsonPath plan = rollout(id);
        List<String> kinds = plan.getList("clusters[0].steps.kind");
        int extract = kinds.indexOf("EXTRACT") + 1;
        int verify = kinds.subList(extract, kinds.size()).indexOf("VERIFY") + extract + 1;
        assertThat(kinds.subList(extract - 1, verify)).containsExactly("EXTRACT", "UNDEPLOY", "DEPLOY", "RESTORE", "VERIFY");
        String segment = plan.getString("clusters[0].steps[" + (extract - 1) + "].segment");
        assertThat(segment).startsWith("migration 1.8.").endsWith("(P3)");
        assertThat(plan.getList("clusters[0].steps.segment").subList(extract - 1, verify)).containsOnly(segment);
        assertThat(verify).isLessThan(kinds.size());

        for (int seq = 1; seq < extract; seq++) {
            apply(id, tag, seq, 1, StepState.SUCCEEDED, null);
        }
        apply(id, tag, extract, 1, StepState.SUCCEEDED, null);
        given().when().post("/api/v1/rollouts/" + id + "/pause").then().statusCode(200);
        assertThat(rollout(id).getString("message")).contains(tag + " finishes its " + segment + " first, up to step "
                + verify);

        for (int seq = extract + 1; seq <= verify; seq++) {
            awaitRequested(id, tag, seq, 1);
            apply(id, tag, seq, 1, StepState.SUCCEEDED, null);
        }
        JsonPath paused = rollout(id);
        assertThat(paused.getString("state")).isEqualTo("PAUSED");
        assertThat(paused.getList("clusters[0].steps.state").subList(extract - 1, verify)).containsOnly("SUCCEEDED");
        assertThat(paused.getString("clusters[0].steps[" + verify + "].state")).as("after the segment: waits")
                .isEqualTo("PENDING");
        assertThat(requested(id, tag, verify + 1, 1)).isNull();
    }

    @Test
    void cancelStopsAStepOutsideASegmentButLetsASegmentRunToItsEnd() {
        String tag = tag("cancel");
        register(tag + "-w", "weaviate", "1.24.10", 3);
        register(tag + "-v", "weaviate", "1.29.11", 3);
        String id = given().contentType(ContentType.JSON).body("{\"product\": \"weaviate\", \"targetVersion\": \"1.25\","
                        + " \"selector\": \"fleet=" + tag + "\", \"strategy\": {\"maxParallel\": 2}}")
                .when().post("/api/v1/rollouts").then().statusCode(202).extract().path("id");
        apply(id, tag + "-w", 1, 1, StepState.SUCCEEDED, null);   // BACKUP; step 2 is the Raft migration
        awaitRequested(id, tag + "-w", 2, 1);
        given().when().post("/api/v1/rollouts/" + id + "/cancel").then().statusCode(200);

        assertThat(cancels(id)).as("only the step outside a segment is asked to stop")
                .extracting(StepCancel::clusterId, StepCancel::seq, StepCancel::attempt)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(tag + "-v", 1, 1));
        apply(id, tag + "-v", 1, 1, StepState.FAILED, StepStatus.CANCELLED);
        for (int seq = 2; seq <= 4; seq++) {   // RAFT_MIGRATION, VERIFY, SYNC_CHECK
            awaitRequested(id, tag + "-w", seq, 1);
            apply(id, tag + "-w", seq, 1, StepState.SUCCEEDED, null);
        }
        JsonPath done = rollout(id);
        assertThat(done.getString("state")).isEqualTo("CANCELLED");
        assertThat(done.getString("clusters.find { it.clusterId == '" + tag + "-w' }.state")).isEqualTo("SUCCEEDED");
        assertThat(done.getString("clusters.find { it.clusterId == '" + tag + "-v' }.steps[0].errorCode"))
                .isEqualTo("CANCELLED");
        assertThat(done.getString("finishedAt")).isNotNull();
    }

    @Test
    void stepsCarryWhatTheClusterMustRunWhenTheyStart() {
        String tag = tag("preflight");
        register(tag, "weaviate", "1.28.12", 3);
        String id = start("weaviate", "1.29", tag);
        List<String> kinds = rollout(id).getList("clusters[0].steps.kind");
        StepRequested backup = awaitRequested(id, tag, 1, 1);
        assertThat(backup.preflight()).isEqualTo(new StepRequested.Preflight(List.of("1.28.12"), 3));
        int hop = kinds.indexOf("UPGRADE") + 1;
        for (int seq = 1; seq < hop; seq++) {
            apply(id, tag, seq, 1, StepState.SUCCEEDED, null);
        }
        StepRequested upgrade = awaitRequested(id, tag, hop, 1);
        assertThat(upgrade.preflight()).isEqualTo(new StepRequested.Preflight(List.of("1.28.12"), 3));
        apply(id, tag, hop, 1, StepState.FAILED, null);
        given().when().post("/api/v1/rollouts/" + id + "/clusters/" + tag + "/retry").then().statusCode(200);
        StepRequested retried = awaitRequested(id, tag, hop, 2);
        assertThat(retried.preflight().versions()).as("a retry may find nodes an earlier attempt moved")
                .containsExactly("1.28.12", upgrade.toVersion());
    }

    @Test
    void aStepTimesOutOnSilenceAndItsRetryWaitsUntilTheOldAttemptStopped() {
        String tag = tag("silence");
        register(tag + "-quiet", "weaviate", "1.29.11", 3);
        register(tag + "-alive", "weaviate", "1.29.11", 3);
        String id = given().contentType(ContentType.JSON).body("{\"product\": \"weaviate\", \"targetVersion\": \"1.30\","
                        + " \"selector\": \"fleet=" + tag + "\", \"strategy\": {\"maxParallel\": 2, \"failurePolicy\":"
                        + " {\"maxFailedClusters\": 2}}}")
                .when().post("/api/v1/rollouts").then().statusCode(202).extract().path("id");
        awaitRequested(id, tag + "-quiet", 1, 1);
        // the live cluster's executor reports (heartbeats) while the silent one's says nothing; steps other tests
        // left silent time out too, and only this rollout's are looked at
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            apply(id, tag + "-alive", 1, 1, StepState.RUNNING, null);
            QuarkusTransaction.requiringNew().call(() -> lifecycle.failSilentSteps(Duration.ofSeconds(1)));
            return "FAILED".equals(rollout(id).getString("clusters.find { it.clusterId == '" + tag
                    + "-quiet' }.steps[0].state"));
        });
        JsonPath view = rollout(id);
        assertThat(view.getString("clusters.find { it.clusterId == '" + tag + "-quiet' }.steps[0].errorCode"))
                .isEqualTo("TIMED_OUT");
        assertThat(view.getString("clusters.find { it.clusterId == '" + tag + "-alive' }.steps[0].state"))
                .isEqualTo("RUNNING");
        assertThat(cancels(id)).extracting(StepCancel::clusterId, StepCancel::attempt)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(tag + "-quiet", 1));

        given().when().post("/api/v1/rollouts/" + id + "/clusters/" + tag + "-quiet/retry").then().statusCode(200)
                .body("clusters.find { it.clusterId == '" + tag + "-quiet' }.message",
                        org.hamcrest.Matchers.containsString("once attempt 1 has stopped"));
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5))
                .until(() -> requested(id, tag + "-quiet", 1, 2) == null);   // not while attempt 1 may still run

        apply(id, tag + "-quiet", 1, 1, StepState.FAILED, StepStatus.CANCELLED);   // the executor stopped attempt 1
        assertThat(awaitRequested(id, tag + "-quiet", 1, 2)).isNotNull();
    }

    @Test
    void aFailedBackupIsRetriedUnderANewIdButATimedOutOneKeepsItsOwn() {
        String tag = tag("backup-retry");
        register(tag, "weaviate", "1.29.11", 3);
        String id = start("weaviate", "1.30", tag);
        String first = String.valueOf(awaitRequested(id, tag, 1, 1).params().get("backupId"));
        apply(id, tag, 1, 1, StepState.FAILED, null);
        given().when().post("/api/v1/rollouts/" + id + "/clusters/" + tag + "/retry").then().statusCode(200);
        assertThat(awaitRequested(id, tag, 1, 2).params().get("backupId"))
                .as("Weaviate never reuses a backup id").isEqualTo(first + "-r2");

        apply(id, tag, 1, 2, StepState.FAILED, RolloutLifecycle.TIMED_OUT);
        given().when().post("/api/v1/rollouts/" + id + "/clusters/" + tag + "/retry").then().statusCode(200);
        assertThat(awaitRequested(id, tag, 1, 3).params().get("backupId"))
                .as("a timed-out backup may have succeeded: the retry adopts it").isEqualTo(first + "-r2");
    }

    @Test
    void aRetryIsTimedOutOnItsOwnSilenceNotOnTheAttemptBeforeIt() {
        String tag = tag("late-retry");
        register(tag, "weaviate", "1.29.11", 3);
        String id = start("weaviate", "1.30", tag);
        awaitRequested(id, tag, 1, 1);
        apply(id, tag, 1, 1, StepState.FAILED, null);
        java.time.Instant failed = java.time.Instant.now();
        // the retry comes two seconds after attempt 1's last status
        await().atMost(Duration.ofSeconds(5)).until(() -> java.time.Instant.now().isAfter(failed.plusSeconds(2)));
        given().when().post("/api/v1/rollouts/" + id + "/clusters/" + tag + "/retry").then().statusCode(200);
        awaitRequested(id, tag, 1, 2);

        // silent for 1.5 s would time out attempt 1's silence (2 s), not the retry's, sent just now
        QuarkusTransaction.requiringNew().call(() -> lifecycle.failSilentSteps(Duration.ofMillis(1500)));
        assertThat(rollout(id).getString("clusters[0].steps[0].state")).isEqualTo("DISPATCHED");
    }

    /** The cancellations sent for this rollout, once at least one arrived and no other for a moment after. */
    private List<StepCancel> cancels(String rolloutId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !cancelsSeen(rolloutId).isEmpty());
        int first = cancelsSeen(rolloutId).size();
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5))
                .until(() -> cancelsSeen(rolloutId).size() == first);
        return cancelsSeen(rolloutId);
    }

    private List<StepCancel> cancelsSeen(String rolloutId) {
        drain();
        List<StepCancel> found = new ArrayList<>();
        for (ConsumerRecord<String, String> r : seen) {
            if (StepCancel.TYPE.equals(type(r))) {
                StepCancel cancel = read(r.value(), StepCancel.class);
                if (cancel.rolloutId().equals(rolloutId)) {
                    found.add(cancel);
                }
            }
        }
        return found;
    }

    private StepRequested awaitRequested(String rolloutId, String clusterId, int seq, int attempt) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> {
            drain();
            return requested(rolloutId, clusterId, seq, attempt);
        }, r -> r != null);
    }

    private StepRequested requested(String rolloutId, String clusterId, int seq, int attempt) {
        drain();
        for (ConsumerRecord<String, String> r : seen) {
            if (StepRequested.TYPE.equals(type(r))) {
                StepRequested step = read(r.value(), StepRequested.class);
                if (step.rolloutId().equals(rolloutId) && step.clusterId().equals(clusterId) && step.seq() == seq
                        && step.attempt() == attempt) {
                    return step;
                }
            }
        }
        return null;
    }

    private void drain() {
        steps.poll(Duration.ofMillis(100)).forEach(seen::add);
    }

    private static String type(ConsumerRecord<String, String> r) {
        var header = r.headers().lastHeader(CloudEventHeaders.TYPE);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void apply(String rolloutId, String clusterId, int seq, int attempt, StepState state, String errorCode) {
        String stepId = RolloutStep.idOf(rolloutId, clusterId, seq);
        intake.applyAll(List.of(new Received(UUID.randomUUID().toString(), new StepStatus(stepId, rolloutId,
                clusterId, seq, attempt, state, null, state.name(), Instant.now(), errorCode))));
    }

    private static String tag(String name) {
        return "sp-" + name + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    private static void register(String id, String product, String version, Integer nodes) {
        String fleet = id.replaceAll("-(w|v|quiet|alive)$", "");
        given().contentType(ContentType.JSON)
                .body("{\"id\": \"" + id + "\", \"product\": \"" + product + "\", \"version\": \"" + version + "\","
                        + (nodes == null ? "" : " \"nodes\": " + nodes + ",")
                        + " \"endpoint\": \"http://localhost:9/" + id + "\", \"labels\": {\"fleet\": \"" + fleet + "\"}}")
                .when().post("/api/v1/clusters").then().statusCode(201);
    }

    private static String start(String product, String target, String fleet) {
        return given().contentType(ContentType.JSON).body("{\"product\": \"" + product + "\", \"targetVersion\": \""
                        + target + "\", \"selector\": \"fleet=" + fleet + "\"}")
                .when().post("/api/v1/rollouts").then().statusCode(202).extract().path("id");
    }

    private static JsonPath rollout(String id) {
        return given().when().get("/api/v1/rollouts/" + id).then().statusCode(200).extract().jsonPath();
    }
}
