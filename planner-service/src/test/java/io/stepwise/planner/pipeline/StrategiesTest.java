package io.stepwise.planner.pipeline;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.stepwise.model.Topics;
import io.stepwise.planner.service.TimedTransitions;
import io.stepwise.planner.testing.AdminByDefault;
import io.stepwise.planner.testing.FakeExecutor;
import io.stepwise.planner.testing.FakeExecutor.Reply;
import io.stepwise.planner.testing.TestClock;
import io.stepwise.testing.IssuerResource;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Strategies through the real broker and Postgres, with the executor played by {@link FakeExecutor}: gates, soaks,
 * percentages, schedules, holds, freezes, maintenance windows and saved strategies. Time is moved by the test's
 * clock and the calendar check is run at once, never waited for.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AdminByDefault.class, scope = TestResourceScope.GLOBAL)
class StrategiesTest {

    private static final String ALICE = "Bearer " + IssuerResource.token("alice", "approver");
    private static final String OPERATOR = "Bearer " + IssuerResource.token("olga", "operator");
    private static FakeExecutor executor;

    @Inject
    TestClock clock;

    @Inject
    TimedTransitions calendar;

    @BeforeAll
    static void startFakeExecutor() {
        executor = new FakeExecutor();
    }

    @AfterAll
    static void stopFakeExecutor() throws InterruptedException {
        executor.close();
    }

    @AfterEach
    void putTheClockBack() {
        clock.reset();
    }

    @Test
    void gatesAndASoakHoldTheNextWaveAndAPercentageLimitsIt() {
        String fleet = fleet("gated", 5, "1.29.0", null);
        KafkaConsumer<String, String> events = KafkaResource.consumer("gates-" + UUID.randomUUID(), "latest");
        events.subscribe(List.of(Topics.ROLLOUTS));
        while (events.assignment().isEmpty()) {
            events.poll(Duration.ofMillis(100));
        }
        String id = start("""
                {"product": "weaviate", "targetVersion": "1.30", "selector": "fleet=%s",
                 "strategy": {"maxParallel": 1, "waves": [
                     {"name": "canary", "clusterIds": ["%s-1"], "waitAfter": "PT2H"},
                     {"name": "rest", "maxParallel": "50%%"}],
                   "gates": [{"when": "before", "wave": "canary"}, {"when": "after", "wave": "canary"}]}}"""
                .formatted(fleet, fleet));
        executor.answer(id, step -> Reply.SUCCEED);

        JsonPath waiting = rollout(id);
        assertThat(waiting.getString("state")).isEqualTo("RUNNING");
        assertThat(waiting.getString("pendingGate")).isEqualTo("before:canary");
        assertThat(waiting.getString("gateRole")).isEqualTo("approver");
        assertThat(waiting.getList("gates.state")).containsExactly("PENDING", "AHEAD");
        assertThat(waiting.getInt("waves[1].maxParallel")).isEqualTo(2); // 50% of the 4 clusters of "rest"
        assertThat(executor.handled(id)).isEmpty();
        List<String> pending = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            for (ConsumerRecord<String, String> r : events.poll(Duration.ofMillis(200))) {
                if (r.value().contains(id) && r.value().contains("io.stepwise.gate.pending")) {
                    pending.add(r.value());
                }
            }
            return !pending.isEmpty();
        });
        events.close();

        // four eyes: the starter may not pass the gate; an operator has no say at all
        given().header("Authorization", OPERATOR).post("/api/v1/rollouts/" + id + "/gate/approve").then()
                .statusCode(403);
        given().post("/api/v1/rollouts/" + id + "/gate/approve").then().statusCode(403)
                .body("detail", org.hamcrest.Matchers.containsString("four-eyes"));
        given().header("Authorization", ALICE).post("/api/v1/rollouts/" + id + "/gate/approve").then()
                .statusCode(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> "after:canary".equals(rollout(id)
                .getString("pendingGate")));
        assertThat(rollout(id).getString("clusters.find { it.clusterId == '" + fleet + "-1' }.state"))
                .isEqualTo("SUCCEEDED");
        given().header("Authorization", ALICE).post("/api/v1/rollouts/" + id + "/gate/approve").then()
                .statusCode(200).body("waitingFor", org.hamcrest.Matchers.equalTo("soak"));
        Instant until = Instant.parse(rollout(id).getString("waitUntil"));
        assertThat(until).isBetween(clock.instant().plus(Duration.ofMinutes(119)),
                clock.instant().plus(Duration.ofMinutes(121)));

        calendar.check(); // not yet
        assertThat(rollout(id).getString("waitingFor")).isEqualTo("soak");
        assertThat(executor.handled(id)).extracting(h -> h.step().clusterId()).containsOnly(fleet + "-1");

        clock.advance(Duration.ofHours(2).plusSeconds(1));
        calendar.check();
        awaitState(id, "SUCCEEDED");
        assertThat(executor.maxConcurrentClusters(id)).isLessThanOrEqualTo(2);
        assertThat(rollout(id).getList("gates.state")).containsExactly("PASSED", "PASSED");
        String audit = given().get("/api/v1/rollouts/" + id + "/audit").then().statusCode(200).extract().asString();
        assertThat(audit).contains("gate.approved", "alice", "soak.started", "soak.ended");
    }

    @Test
    void anApproverEndsASoakEarly() {
        String fleet = fleet("early", 2, "1.29.0", null);
        String id = start("""
                {"product": "weaviate", "targetVersion": "1.30", "selector": "fleet=%s",
                 "strategy": {"waves": [{"name": "first", "clusterIds": ["%s-1"], "waitAfter": "P30D"}]}}"""
                .formatted(fleet, fleet));
        executor.answer(id, step -> Reply.SUCCEED);
        await().atMost(Duration.ofSeconds(30)).until(() -> "soak".equals(rollout(id).getString("waitingFor")));
        given().header("Authorization", OPERATOR).post("/api/v1/rollouts/" + id + "/wait/end").then()
                .statusCode(403);
        given().header("Authorization", ALICE).post("/api/v1/rollouts/" + id + "/wait/end").then().statusCode(200);
        awaitState(id, "SUCCEEDED");
        given().header("Authorization", ALICE).post("/api/v1/rollouts/" + id + "/wait/end").then().statusCode(409);
        assertThat(given().get("/api/v1/rollouts/" + id + "/audit").then().extract().asString())
                .contains("ended early by alice");
    }

    @Test
    void aSoakLongerThanThirtyDaysAGateOnNoWaveAndABadPercentageAreRefused() {
        String fleet = fleet("badstrategy", 1, "1.29.0", null);
        given().contentType(ContentType.JSON).body("""
                {"product": "weaviate", "targetVersion": "1.30", "selector": "fleet=%s",
                 "strategy": {"waves": [{"name": "w", "waitAfter": "P31D", "maxParallel": "120%%",
                                         "maxFailed": "lots"}]}}"""
                .formatted(fleet)).post("/api/v1/rollouts").then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItems("strategy.waves[0].waitAfter",
                        "strategy.waves[0].maxParallel", "strategy.waves[0].maxFailed"));
        given().contentType(ContentType.JSON).body("""
                {"product": "weaviate", "targetVersion": "1.30", "selector": "fleet=%s",
                 "strategy": {"waves": [{"name": "w"}], "gates": [{"when": "after", "wave": "nope"}]}}"""
                .formatted(fleet)).post("/api/v1/rollouts").then().statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("strategy.gates[0].wave"));
        given().contentType(ContentType.JSON).body("""
                {"product": "weaviate", "targetVersion": "1.30", "selector": "fleet=%s",
                 "strategy": {"waves": [{"name": "w"}], "gates": [{"when": "during", "wave": "w"}]}}"""
                .formatted(fleet)).post("/api/v1/rollouts").then().statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("strategy.gates[0].when"));
        assertThat(given().get("/api/v1/rollouts?size=100").then().extract().jsonPath()
                .getList("items.selector")).doesNotContain("fleet=" + fleet);
    }

    @Test
    void aScheduledRolloutWaitsForItsTimeThenRuns() {
        String fleet = fleet("scheduled", 2, "1.29.0", null);
        Instant at = clock.instant().plus(Duration.ofHours(1));
        String id = start("""
                {"product": "weaviate", "targetVersion": "1.30", "selector": "fleet=%s", "startAt": "%s",
                 "strategy": {"maxParallel": 2}}""".formatted(fleet, at));
        executor.answer(id, step -> Reply.SUCCEED);
        JsonPath scheduled = rollout(id);
        assertThat(scheduled.getString("state")).isEqualTo("SCHEDULED");
        assertThat(Instant.parse(scheduled.getString("startAt"))).isEqualTo(at.truncatedTo(ChronoUnit.MICROS));
        assertThat(scheduled.getList("clusters.state")).containsOnly("WAITING");
        calendar.check();
        assertThat(rollout(id).getString("state")).isEqualTo("SCHEDULED");
        // its clusters are spoken for meanwhile
        given().contentType(ContentType.JSON).body("{\"product\": \"weaviate\", \"targetVersion\": \"1.30\","
                + " \"clusterIds\": [\"" + fleet + "-1\"]}").post("/api/v1/rollouts").then().statusCode(409);

        clock.advance(Duration.ofHours(1));
        calendar.check();
        awaitState(id, "SUCCEEDED");
        assertThat(executor.handled(id)).isNotEmpty();

        given().contentType(ContentType.JSON).body("""
                {"product": "weaviate", "targetVersion": "1.30", "selector": "fleet=%s", "startAt": "2020-01-01T00:00:00Z"}"""
                .formatted(fleet)).post("/api/v1/rollouts").then().statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("startAt"));
    }

    @Test
    void aScheduledRolloutCanBeCancelledBeforeItStarts() {
        String fleet = fleet("unscheduled", 1, "1.29.0", null);
        String id = start("""
                {"product": "weaviate", "targetVersion": "1.30", "selector": "fleet=%s", "startAt": "%s"}"""
                .formatted(fleet, clock.instant().plus(Duration.ofDays(2))));
        given().post("/api/v1/rollouts/" + id + "/cancel").then().statusCode(200);
        awaitState(id, "CANCELLED");
        clock.advance(Duration.ofDays(3));
        calendar.check();
        assertThat(rollout(id).getString("state")).isEqualTo("CANCELLED");
        assertThat(executor.handled(id)).isEmpty();
    }

    @Test
    void aHeldClusterIsSkippedAndAHoldStopsARunningClusterAtItsNextSafePoint() {
        String fleet = fleet("held", 3, "1.29.0", null);
        given().header("Authorization", OPERATOR).contentType(ContentType.JSON)
                .body("{\"reason\": \"quarterly reporting\"}").put("/api/v1/clusters/" + fleet + "-1/hold").then()
                .statusCode(200).body("holdReason", org.hamcrest.Matchers.equalTo("quarterly reporting"))
                .body("heldBy", org.hamcrest.Matchers.equalTo("olga"));
        given().contentType(ContentType.JSON).body("{}").put("/api/v1/clusters/" + fleet + "-1/hold").then()
                .statusCode(400).body("errors[0].field", org.hamcrest.Matchers.equalTo("reason"));
        given().contentType(ContentType.JSON).body("{\"reason\": \"x\"}").put("/api/v1/clusters/nobody-here/hold")
                .then().statusCode(404);

        String id = start("""
                {"product": "weaviate", "targetVersion": "1.30", "selector": "fleet=%s", "strategy": {"maxParallel": 2}}"""
                .formatted(fleet));
        executor.answer(id, step -> step.clusterId().equals(fleet + "-2") && step.seq() == 1 ? Reply.HOLD
                : Reply.SUCCEED);
        await().atMost(Duration.ofSeconds(20)).until(() -> !executor.held(id).isEmpty());
        JsonPath first = rollout(id);
        assertThat(first.getString("clusters.find { it.clusterId == '" + fleet + "-1' }.state")).isEqualTo("SKIPPED");
        assertThat(first.getString("clusters.find { it.clusterId == '" + fleet + "-1' }.refusalCode"))
                .isEqualTo("HELD");

        // a hold placed while its first step runs: the step finishes, nothing after it starts
        given().contentType(ContentType.JSON).body("{\"reason\": \"incident 42\"}")
                .put("/api/v1/clusters/" + fleet + "-2/hold").then().statusCode(200);
        executor.release(executor.held(id).get(0), true);
        awaitState(id, "SUCCEEDED");
        JsonPath done = rollout(id);
        String second = "clusters.find { it.clusterId == '" + fleet + "-2' }";
        assertThat(done.getString(second + ".state")).isEqualTo("SKIPPED");
        assertThat(done.getString(second + ".refusalCode")).isEqualTo("HELD");
        assertThat(done.getString(second + ".message")).contains("incident 42", "after step 1");
        assertThat(done.getList(second + ".steps.state")).startsWith("SUCCEEDED").doesNotContain("DISPATCHED",
                "RUNNING");
        assertThat(executor.handled(id)).filteredOn(h -> h.step().clusterId().equals(fleet + "-2")).hasSize(1);
        assertThat(done.getString("clusters.find { it.clusterId == '" + fleet + "-3' }.state")).isEqualTo("SUCCEEDED");

        given().delete("/api/v1/clusters/" + fleet + "-2/hold").then().statusCode(200)
                .body("holdReason", org.hamcrest.Matchers.nullValue());
        assertThat(given().get("/api/v1/audit?kind=cluster&subject=" + fleet + "-2").then().statusCode(200)
                .extract().asString()).contains("cluster.held", "cluster.released", "incident 42");
    }

    @Test
    void aFreezeDefersNewSegmentsUntilItEnds() {
        String fleet = fleet("frozen", 1, "1.29.0", null);
        String freeze = given().contentType(ContentType.JSON).body("""
                {"to": "%s", "reason": "black friday"}""".formatted(clock.instant().plus(Duration.ofHours(6))))
                .post("/api/v1/freezes").then().statusCode(201).extract().path("id");
        try {
            given().header("Authorization", OPERATOR).contentType(ContentType.JSON)
                    .body("{\"to\": \"2099-01-01T00:00:00Z\", \"reason\": \"x\"}").post("/api/v1/freezes").then()
                    .statusCode(403);
            given().contentType(ContentType.JSON).body("{\"to\": \"2020-01-01T00:00:00Z\", \"reason\": \"x\"}")
                    .post("/api/v1/freezes").then().statusCode(400)
                    .body("errors[0].field", org.hamcrest.Matchers.equalTo("to"));
            assertThat(given().get("/api/v1/freezes").then().statusCode(200).extract().jsonPath()
                    .getList("reason")).contains("black friday");

            String id = start("""
                    {"product": "weaviate", "targetVersion": "1.30", "clusterIds": ["%s-1"]}""".formatted(fleet));
            executor.answer(id, step -> Reply.SUCCEED);
            String cluster = "clusters.find { it.clusterId == '" + fleet + "-1' }";
            assertThat(rollout(id).getString(cluster + ".message")).contains("frozen", "black friday");
            calendar.check();
            assertThat(executor.handled(id)).isEmpty();

            clock.advance(Duration.ofHours(6));
            calendar.check();
            awaitState(id, "SUCCEEDED");
        } finally {
            given().delete("/api/v1/freezes/" + freeze).then().statusCode(204);
        }
    }

    @Test
    void aClusterStartsOnlyInsideAMaintenanceWindowItsSegmentFits() {
        Instant opens = clock.instant().plus(Duration.ofHours(3)).truncatedTo(ChronoUnit.MINUTES);
        String start = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC).format(opens);
        String fleet = fleet("windowed", 1, "1.29.0", """
                [{"start": "%s", "duration": "PT2H", "timeZone": "UTC"}]""".formatted(start));
        given().contentType(ContentType.JSON).body("""
                {"id": "bad-window", "product": "weaviate", "version": "1.29.0",
                 "windows": [{"start": "25:00", "duration": "PT1H", "timeZone": "UTC"}]}""")
                .post("/api/v1/clusters").then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItems("windows[0].start"));
        given().contentType(ContentType.JSON).body("""
                {"id": "bad-window", "product": "weaviate", "version": "1.29.0",
                 "windows": [{"start": "22:00", "duration": "forever", "timeZone": "Mars/Olympus", "days": ["FUNDAY"]}]}""")
                .post("/api/v1/clusters").then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItems("windows[0].days[0]", "windows[0].duration",
                        "windows[0].timeZone"));

        String id = start("""
                {"product": "weaviate", "targetVersion": "1.30", "clusterIds": ["%s-1"]}""".formatted(fleet));
        executor.answer(id, step -> Reply.SUCCEED);
        String cluster = "clusters.find { it.clusterId == '" + fleet + "-1' }";
        assertThat(rollout(id).getString(cluster + ".message")).contains("maintenance window");
        calendar.check();
        assertThat(executor.handled(id)).isEmpty();

        clock.advance(Duration.ofHours(3).plusMinutes(1));
        calendar.check();
        awaitState(id, "SUCCEEDED");
    }

    @Test
    void aClusterTakesTheWindowsOfThePolicyItsLabelNames() {
        Instant opens = clock.instant().plus(Duration.ofHours(5)).truncatedTo(ChronoUnit.MINUTES);
        String start = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC).format(opens);
        String policy = "nights-" + UUID.randomUUID().toString().substring(0, 6);
        given().contentType(ContentType.JSON).body("""
                {"windows": [{"start": "%s", "duration": "PT1H", "timeZone": "UTC"}]}""".formatted(start))
                .put("/api/v1/window-policies/" + policy).then().statusCode(201);
        String fleet = "policy-" + UUID.randomUUID().toString().substring(0, 6);
        for (String name : List.of(policy, "no-such-policy")) {
            given().contentType(ContentType.JSON).body("{\"id\": \"" + fleet + "-" + name.length() + "\", \"product\":"
                    + " \"weaviate\", \"version\": \"1.29.0\", \"nodes\": 3, \"labels\": {\"fleet\": \"" + fleet
                    + "\", \"stepwise.io/window-policy\": \"" + name + "\"}}").post("/api/v1/clusters").then()
                    .statusCode(201);
        }
        String id = start("""
                {"product": "weaviate", "targetVersion": "1.30", "selector": "fleet=%s", "strategy": {"maxParallel": 2}}"""
                .formatted(fleet));
        executor.answer(id, step -> Reply.SUCCEED);
        JsonPath waiting = rollout(id);
        assertThat(waiting.getString("clusters.find { it.clusterId == '" + fleet + "-" + policy.length()
                + "' }.message")).contains("maintenance window");
        assertThat(waiting.getString("clusters.find { it.clusterId == '" + fleet + "-14' }.message"))
                .contains("no-such-policy", "does not exist");

        clock.advance(Duration.ofHours(5).plusMinutes(1));
        calendar.check();
        await().atMost(Duration.ofSeconds(60)).until(() -> "SUCCEEDED".equals(rollout(id).getString(
                "clusters.find { it.clusterId == '" + fleet + "-" + policy.length() + "' }.state")));
        assertThat(rollout(id).getString("clusters.find { it.clusterId == '" + fleet + "-14' }.state"))
                .isEqualTo("RUNNING");
        given().post("/api/v1/rollouts/" + id + "/cancel").then().statusCode(200);
        given().delete("/api/v1/window-policies/" + policy).then().statusCode(204);
        assertThat(given().get("/api/v1/audit?kind=window_policy&subject=" + policy).then().statusCode(200)
                .extract().jsonPath().getList("type")).containsExactly("window-policy.created",
                "window-policy.deleted");
    }

    @Test
    void aSavedStrategyIsUsedByNameAndItsChangesAreAudited() {
        String fleet = fleet("saved", 3, "1.29.0", null);
        String name = "canary-" + fleet;
        given().contentType(ContentType.JSON).body("""
                {"maxParallel": 2, "waves": [{"name": "canary", "clusterIds": ["%s-1"]}]}""".formatted(fleet))
                .put("/api/v1/strategies/" + name).then().statusCode(201);
        given().contentType(ContentType.JSON).body("""
                {"maxParallel": 3, "waves": [{"name": "canary", "clusterIds": ["%s-1"]}]}""".formatted(fleet))
                .put("/api/v1/strategies/" + name).then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"maxParallel\": 0}").put("/api/v1/strategies/" + name).then()
                .statusCode(400);
        given().header("Authorization", "Bearer " + IssuerResource.token("vera", "viewer")).contentType(ContentType.JSON)
                .body("{}").put("/api/v1/strategies/" + name).then().statusCode(403);
        given().get("/api/v1/strategies/" + name).then().statusCode(200)
                .body("strategy.maxParallel", org.hamcrest.Matchers.equalTo(3))
                .body("strategy", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("failurePolicy")));

        String id = start("""
                {"product": "weaviate", "targetVersion": "1.30", "selector": "fleet=%s", "strategyName": "%s"}"""
                .formatted(fleet, name));
        executor.answer(id, step -> Reply.SUCCEED);
        awaitState(id, "SUCCEEDED");
        JsonPath done = rollout(id);
        assertThat(done.getString("strategyName")).isEqualTo(name);
        assertThat(done.getInt("maxParallel")).isEqualTo(3);
        assertThat(done.getList("waves.name")).containsExactly("canary", "remaining");

        given().contentType(ContentType.JSON).body("""
                {"product": "weaviate", "targetVersion": "1.30", "selector": "fleet=%s", "strategyName": "no-such"}"""
                .formatted(fleet)).post("/api/v1/rollouts").then().statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("strategyName"));
        given().contentType(ContentType.JSON).body("""
                {"product": "weaviate", "targetVersion": "1.30", "selector": "fleet=%s", "strategyName": "%s",
                 "strategy": {"maxParallel": 1}}""".formatted(fleet, name)).post("/api/v1/rollouts").then()
                .statusCode(400).body("errors[0].field", org.hamcrest.Matchers.equalTo("strategyName"));
        given().delete("/api/v1/strategies/" + name).then().statusCode(204);
        given().get("/api/v1/strategies/" + name).then().statusCode(404);
        assertThat(given().get("/api/v1/audit?kind=strategy&subject=" + name).then().statusCode(200).extract()
                .jsonPath().getList("type")).containsExactly("strategy.created", "strategy.replaced",
                "strategy.deleted");
    }

    @Test
    void aClusterRegisteredDuringARolloutThatFollowsItsSelectorJoinsItsLastWave() {
        String fleet = fleet("follow", 2, "1.29.0", null);
        given().contentType(ContentType.JSON).body("""
                {"product": "weaviate", "targetVersion": "1.30", "clusterIds": ["%s-1"], "followSelector": true}"""
                .formatted(fleet)).post("/api/v1/rollouts").then().statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("followSelector"));
        String id = start("""
                {"product": "weaviate", "targetVersion": "1.30", "selector": "fleet=%s", "followSelector": true,
                 "strategy": {"waves": [{"name": "first", "clusterIds": ["%s-1"]}]}}"""
                .formatted(fleet, fleet));
        executor.answer(id, step -> step.clusterId().equals(fleet + "-1") && step.seq() == 1 ? Reply.HOLD
                : Reply.SUCCEED);
        await().atMost(Duration.ofSeconds(20)).until(() -> !executor.held(id).isEmpty());

        given().contentType(ContentType.JSON).body("{\"id\": \"" + fleet + "-late\", \"product\": \"weaviate\","
                + " \"version\": \"1.29.0\", \"nodes\": 3, \"labels\": {\"fleet\": \"" + fleet + "\"}}")
                .post("/api/v1/clusters").then().statusCode(201);
        given().contentType(ContentType.JSON).body("{\"id\": \"" + fleet + "-other\", \"product\": \"weaviate\","
                + " \"version\": \"1.29.0\", \"nodes\": 3, \"labels\": {\"fleet\": \"elsewhere\"}}")
                .post("/api/v1/clusters").then().statusCode(201);
        JsonPath joined = rollout(id);
        assertThat(joined.getString("clusters.find { it.clusterId == '" + fleet + "-late' }.wave"))
                .isEqualTo("remaining");
        assertThat(joined.getString("clusters.find { it.clusterId == '" + fleet + "-late' }.state"))
                .isEqualTo("WAITING");
        assertThat(joined.getList("clusters.clusterId")).doesNotContain(fleet + "-other");

        executor.release(executor.held(id).get(0), true);
        awaitState(id, "SUCCEEDED");
        assertThat(rollout(id).getList("clusters.state")).containsOnly("SUCCEEDED");
        assertThat(executor.handled(id)).extracting(h -> h.step().clusterId()).contains(fleet + "-late");

        // once it has finished, a new registration is no longer taken
        given().contentType(ContentType.JSON).body("{\"id\": \"" + fleet + "-3\", \"product\": \"weaviate\","
                + " \"version\": \"1.29.0\", \"nodes\": 3, \"labels\": {\"fleet\": \"" + fleet + "\"}}")
                .post("/api/v1/clusters").then().statusCode(201);
        assertThat(rollout(id).getList("clusters.clusterId")).doesNotContain(fleet + "-3");
    }

    @Test
    void aClusterDeletedDuringARolloutIsCancelledAtItsNextSafePoint() {
        String fleet = fleet("deleted", 2, "1.29.0", null);
        String id = start("""
                {"product": "weaviate", "targetVersion": "1.30", "selector": "fleet=%s", "strategy": {"maxParallel": 2}}"""
                .formatted(fleet));
        executor.answer(id, step -> step.clusterId().equals(fleet + "-1") && step.seq() == 1 ? Reply.HOLD
                : Reply.SUCCEED);
        await().atMost(Duration.ofSeconds(20)).until(() -> !executor.held(id).isEmpty());
        given().delete("/api/v1/clusters/" + fleet + "-1").then().statusCode(204);
        executor.release(executor.held(id).get(0), true);
        awaitState(id, "SUCCEEDED");
        String gone = "clusters.find { it.clusterId == '" + fleet + "-1' }";
        JsonPath done = rollout(id);
        assertThat(done.getString(gone + ".state")).isEqualTo("CANCELLED");
        assertThat(done.getString(gone + ".refusalCode")).isEqualTo("REMOVED");
        assertThat(done.getList(gone + ".steps.state")).startsWith("SUCCEEDED").doesNotContain("DISPATCHED",
                "RUNNING");
        assertThat(executor.handled(id)).filteredOn(h -> h.step().clusterId().equals(fleet + "-1")).hasSize(1);
    }

    private static String fleet(String name, int clusters, String version, String windows) {
        String fleet = name + "-" + UUID.randomUUID().toString().substring(0, 6);
        for (int i = 1; i <= clusters; i++) {
            given().contentType(ContentType.JSON).body("{\"id\": \"" + fleet + "-" + i + "\", \"product\": \"weaviate\","
                    + " \"version\": \"" + version + "\", \"nodes\": 3, \"endpoint\": \"http://localhost:9/" + fleet
                    + "\", \"labels\": {\"fleet\": \"" + fleet + "\"}" + (windows == null ? "" : ", \"windows\": "
                    + windows) + "}").post("/api/v1/clusters").then().statusCode(201);
        }
        return fleet;
    }

    private static String start(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/rollouts").then().statusCode(202)
                .extract().path("id");
    }

    private static JsonPath rollout(String id) {
        return given().get("/api/v1/rollouts/" + id).then().statusCode(200).extract().jsonPath();
    }

    private static void awaitState(String id, String state) {
        await().atMost(Duration.ofSeconds(60)).until(() -> state.equals(rollout(id).getString("state")));
    }
}
