package io.stepwise.planner.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.stepwise.model.StepState;
import io.stepwise.model.StepStatus;
import io.stepwise.planner.domain.RolloutStep;
import io.stepwise.planner.lifecycle.RolloutLifecycle;
import io.stepwise.planner.service.StatusIntake.Received;
import io.stepwise.planner.testing.AdminByDefault;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A poll of status events is applied in one transaction: its rollouts locked first, then a part at a time, each
 * part's steps loaded first, its rollouts moved on once after it. Whatever a poll mixes (several rollouts, more
 * events than one part, the same event twice, a step nobody planned, several clusters ending), every rollout moves
 * as if its events had come one by one.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AdminByDefault.class, scope = TestResourceScope.GLOBAL)
class StatusIntakeTest {

    private static final int CLUSTERS_OF_A = 10;

    @Inject
    StatusIntake intake;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void onePollMovesEveryRolloutItNamesOnceEach() {
        String tag = "poll-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < CLUSTERS_OF_A; i++) {
            register(tag + "-a" + i, tag + "-a");
        }
        register(tag + "-b0", tag + "-b");
        String a = startRollout(tag + "-a", CLUSTERS_OF_A);
        String b = startRollout(tag + "-b", 1);

        // 23 events, so two parts: a's steps 1 start, b's starts (delivered twice), a's steps 1 succeed, and one
        // event of a step that was never planned
        List<Received> poll = new ArrayList<>();
        for (int i = 0; i < CLUSTERS_OF_A; i++) {
            poll.add(event(a, tag + "-a" + i, StepState.RUNNING));
        }
        Received bStarted = event(b, tag + "-b0", StepState.RUNNING);
        poll.add(bStarted);
        poll.add(bStarted);
        for (int i = 0; i < CLUSTERS_OF_A; i++) {
            poll.add(event(a, tag + "-a" + i, StepState.SUCCEEDED));
        }
        poll.add(new Received(UUID.randomUUID().toString(), new StepStatus(RolloutStep.idOf(a, "nobody", 1), a,
                "nobody", 1, 1, StepState.SUCCEEDED, null, "?", Instant.now())));

        intake.applyAll(poll);

        JsonPath rolloutA = rollout(a);
        assertThat(rolloutA.getList("clusters.collect { it.steps[0].state }")).hasSize(CLUSTERS_OF_A).containsOnly("SUCCEEDED");
        assertThat(rolloutA.getList("clusters.collect { it.steps[1].state }")).as("each cluster's next step sent")
                .hasSize(CLUSTERS_OF_A).containsOnly("DISPATCHED");
        JsonPath rolloutB = rollout(b);
        assertThat(rolloutB.getString("clusters[0].steps[0].state")).isEqualTo("RUNNING");
        assertThat(rolloutB.getString("clusters[0].steps[0].startedAt")).isNotNull();
        List<String> auditOfB = given().when().get("/api/v1/rollouts/" + b + "/audit").then().statusCode(200)
                .extract().jsonPath().getList("type");
        assertThat(auditOfB.stream().filter("step.started"::equals)).as("the event delivered twice counts once")
                .hasSize(1);
        given().when().get("/api/v1/rollouts/" + a + "/audit/verify").then().statusCode(200)
                .body("valid", org.hamcrest.Matchers.equalTo(true));
    }

    @Test
    void clustersThatEndInOnePollFreeTheirPlacesForWaitingOnesAndTheLastOnesFinishTheRollout() {
        String tag = "ends-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 5; i++) {
            register(tag + "-" + i, tag);
        }
        String id = startRollout(tag, 2);
        int steps = rollout(id).getList("clusters[0].steps").size();

        intake.applyAll(everyStepSucceeds(id, steps, tag + "-0", tag + "-1"));

        JsonPath view = rollout(id);
        assertThat(view.getList("clusters.collect { it.state }")).as("in selection order, two places freed and refilled")
                .containsExactly("SUCCEEDED", "SUCCEEDED", "RUNNING", "RUNNING", "WAITING");
        assertThat(view.getString("clusters[2].steps[0].state")).isEqualTo("DISPATCHED");
        assertThat(view.getString("clusters[3].steps[0].state")).isEqualTo("DISPATCHED");

        intake.applyAll(everyStepSucceeds(id, steps, tag + "-2", tag + "-3"));
        intake.applyAll(everyStepSucceeds(id, steps, tag + "-4"));

        view = rollout(id);
        assertThat(view.getList("clusters.collect { it.state }")).containsOnly("SUCCEEDED").hasSize(5);
        assertThat(view.getString("state")).isEqualTo("SUCCEEDED");
    }

    /**
     * A status part's clusters are found through the primary key, not by reading every cluster of the rollout: the
     * rollout's creation told Postgres about its clusters (without that, Postgres takes a rollout id it has not seen
     * for one row and reads all of them through another index, for every part of every poll).
     */
    @Test
    void aLargeRolloutsClustersAreFoundByTheirKeysNotByReadingTheWholeRollout() throws Exception {
        String tag = "large-" + UUID.randomUUID().toString().substring(0, 8);
        int size = RolloutLifecycle.REFRESH_STATISTICS_FROM;
        StringBuilder batch = new StringBuilder("{\"clusters\": [");
        for (int i = 0; i < size; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"id\": \"").append(tag).append('-').append(i)
                    .append("\", \"product\": \"weaviate\", \"version\": \"1.29.11\", \"nodes\": 3, \"endpoint\":"
                            + " \"http://localhost:9/x\", \"labels\": {\"fleet\": \"").append(tag).append("\"}}");
        }
        given().contentType(ContentType.JSON).body(batch.append("]}").toString())
                .when().post("/api/v1/clusters/batch").then().statusCode(200);
        String id = startRollout(tag, 1);

        String plan;
        try (Connection connection = dataSource.getConnection(); Statement explain = connection.createStatement();
             ResultSet rows = explain.executeQuery("explain select * from rollout_cluster where rollout_id = '" + id
                     + "' and cluster_id = any('{" + tag + "-7," + tag + "-300," + tag + "-499}')")) {
            StringBuilder lines = new StringBuilder();
            while (rows.next()) {
                lines.append(rows.getString(1)).append('\n');
            }
            plan = lines.toString();
        }
        assertThat(plan).contains("rollout_cluster_pkey").doesNotContain("Filter");
    }

    /** One poll in which every step of these clusters starts and succeeds, in plan order. */
    private static List<Received> everyStepSucceeds(String rolloutId, int steps, String... clusterIds) {
        List<Received> poll = new ArrayList<>();
        for (String clusterId : clusterIds) {
            for (int seq = 1; seq <= steps; seq++) {
                poll.add(event(rolloutId, clusterId, seq, StepState.RUNNING));
                poll.add(event(rolloutId, clusterId, seq, StepState.SUCCEEDED));
            }
        }
        return poll;
    }

    private static Received event(String rolloutId, String clusterId, StepState state) {
        return event(rolloutId, clusterId, 1, state);
    }

    private static Received event(String rolloutId, String clusterId, int seq, StepState state) {
        String stepId = RolloutStep.idOf(rolloutId, clusterId, seq);
        return new Received(stepId + ":1:" + state.name().toLowerCase(),
                new StepStatus(stepId, rolloutId, clusterId, seq, 1, state, null, state.name(), Instant.now()));
    }

    private static void register(String id, String fleet) {
        given().contentType(ContentType.JSON)
                .body("{\"id\": \"" + id + "\", \"product\": \"weaviate\", \"version\": \"1.29.11\", \"nodes\": 3,"
                        + " \"endpoint\": \"http://localhost:9/" + id + "\", \"labels\": {\"fleet\": \"" + fleet + "\"}}")
                .when().post("/api/v1/clusters").then().statusCode(201);
    }

    private static String startRollout(String fleet, int maxParallel) {
        return given().contentType(ContentType.JSON)
                .body("{\"product\": \"weaviate\", \"targetVersion\": \"1.30\", \"selector\": \"fleet=" + fleet + "\","
                        + " \"strategy\": {\"maxParallel\": " + maxParallel + "}}")
                .when().post("/api/v1/rollouts")
                .then().statusCode(202)
                .extract().path("id");
    }

    private static JsonPath rollout(String id) {
        return given().when().get("/api/v1/rollouts/" + id).then().statusCode(200).extract().jsonPath();
    }
}
