package io.stepwise.planner.lifecycle;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.stepwise.model.StepState;
import io.stepwise.model.StepStatus;
import io.stepwise.planner.domain.RolloutStep;
import io.stepwise.planner.service.StatusIntake;
import io.stepwise.planner.service.StatusIntake.Received;
import io.stepwise.planner.testing.AdminByDefault;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * One hand on each cluster: a cluster belongs to at most one unfinished rollout. An overlapping rollout is refused
 * naming who holds what, or skips the busy clusters when asked; two requests racing for a cluster leave exactly one
 * holder; a finished rollout gives its clusters back.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AdminByDefault.class, scope = TestResourceScope.GLOBAL)
class ClusterLeaseTest {

    @Inject
    StatusIntake intake;

    @Test
    void anOverlappingRolloutIsRefusedNamingTheBusyClustersOrSkipsThemWhenAsked() {
        String tag = tag("overlap");
        register(tag + "-a", tag, "1.29.11");
        register(tag + "-b", tag, "1.29.11");
        register(tag + "-c", tag + "-late", "1.29.11");
        String first = start("{\"product\": \"weaviate\", \"targetVersion\": \"1.30\", \"selector\": \"fleet=" + tag
                + "\"}").then().statusCode(202).extract().path("id");
        given().contentType(ContentType.JSON).body("{\"id\": \"" + tag + "-c\", \"product\": \"weaviate\","
                        + " \"version\": \"1.29.11\", \"nodes\": 3, \"endpoint\": \"http://localhost:9/x\","
                        + " \"labels\": {\"fleet\": \"" + tag + "\"}}")
                .when().put("/api/v1/clusters/" + tag + "-c").then().statusCode(200);

        start("{\"product\": \"weaviate\", \"targetVersion\": \"1.30\", \"selector\": \"fleet=" + tag + "\"}")
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString(tag + "-a (rollout " + first + ")"))
                .body("busyClusters.clusterId", equalTo(List.of(tag + "-a", tag + "-b")))
                .body("busyClusters.rolloutId", equalTo(List.of(first, first)));
        given().queryParam("state", "RUNNING").when().get("/api/v1/rollouts?size=500").then().statusCode(200)
                .body("items.findAll { it.selector == 'fleet=" + tag + "' }.size()", equalTo(1));

        String second = start("{\"product\": \"weaviate\", \"targetVersion\": \"1.30\", \"selector\": \"fleet="
                + tag + "\", \"busyClusters\": \"skip\"}").then().statusCode(202).extract().path("id");
        JsonPath view = rollout(second);
        assertThat(view.getString("clusters.find { it.clusterId == '" + tag + "-a' }.state")).isEqualTo("SKIPPED");
        assertThat(view.getString("clusters.find { it.clusterId == '" + tag + "-a' }.refusalCode"))
                .isEqualTo("CLUSTER_BUSY");
        assertThat(view.getString("clusters.find { it.clusterId == '" + tag + "-a' }.message")).contains(first);
        assertThat(view.getString("clusters.find { it.clusterId == '" + tag + "-c' }.state")).isEqualTo("RUNNING");
        assertThat(view.getList("clusters.find { it.clusterId == '" + tag + "-a' }.steps")).isEmpty();
    }

    @Test
    void aFinishedRolloutGivesItsClustersBackAndAReopenedOneTakesItsClusterAgainIfFree() {
        String tag = tag("release");
        register(tag + "-a", tag, "1.29.11");
        String first = start("{\"product\": \"weaviate\", \"targetVersion\": \"1.30\", \"selector\": \"fleet=" + tag
                + "\"}").then().statusCode(202).extract().path("id");
        int steps = rollout(first).getList("clusters[0].steps").size();
        List<Received> poll = new ArrayList<>();
        for (int seq = 1; seq < steps; seq++) {
            poll.add(event(first, tag + "-a", seq, StepState.SUCCEEDED));
        }
        poll.add(event(first, tag + "-a", steps, StepState.FAILED));
        intake.applyAll(poll);
        assertThat(rollout(first).getString("state")).isEqualTo("FAILED");

        String second = start("{\"product\": \"weaviate\", \"targetVersion\": \"1.30\", \"selector\": \"fleet=" + tag
                + "\"}").then().statusCode(202).extract().path("id");

        given().when().post("/api/v1/rollouts/" + first + "/clusters/" + tag + "-a/retry").then().statusCode(409)
                .body("busyClusters.rolloutId", hasItem(second));
        assertThat(rollout(first).getString("state")).isEqualTo("FAILED");
        given().when().post("/api/v1/rollouts/" + second + "/cancel").then().statusCode(200);
        intake.applyAll(List.of(event(second, tag + "-a", 1, StepState.SUCCEEDED)));
        assertThat(rollout(second).getString("state")).isEqualTo("CANCELLED");

        given().when().post("/api/v1/rollouts/" + first + "/clusters/" + tag + "-a/retry").then().statusCode(200)
                .body("state", equalTo("RUNNING"));
    }

    @Test
    void twoRequestsRacingForOneClusterLeaveExactlyOneHolder() throws Exception {
        for (int round = 0; round < 5; round++) {
            String tag = tag("race" + round);
            register(tag + "-a", tag, "1.29.11");
            register(tag + "-b", tag, "1.29.11");
            String body = "{\"product\": \"weaviate\", \"targetVersion\": \"1.30\", \"selector\": \"fleet=" + tag + "\"}";
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Integer>> racers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                racers.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return start(body).statusCode();
                }));
            }
            go.countDown();
            List<Integer> statuses = racers.stream().map(CompletableFuture::join).sorted().toList();
            assertThat(statuses).as("round %d", round).containsExactly(202, 409);
        }
    }

    private static String tag(String name) {
        return "lease-" + name + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    private static Received event(String rolloutId, String clusterId, int seq, StepState state) {
        String stepId = RolloutStep.idOf(rolloutId, clusterId, seq);
        return new Received(UUID.randomUUID().toString(),
                new StepStatus(stepId, rolloutId, clusterId, seq, 1, state, null, state.name(), Instant.now()));
    }

    private static void register(String id, String fleet, String version) {
        given().contentType(ContentType.JSON)
                .body("{\"id\": \"" + id + "\", \"product\": \"weaviate\", \"version\": \"" + version + "\","
                        + " \"nodes\": 3, \"endpoint\": \"http://localhost:9/" + id + "\", \"labels\": {\"fleet\": \""
                        + fleet + "\"}}")
                .when().post("/api/v1/clusters").then().statusCode(201);
    }

    private static Response start(String body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/api/v1/rollouts?view=summary");
    }

    private static JsonPath rollout(String id) {
        return given().when().get("/api/v1/rollouts/" + id).then().statusCode(200).extract().jsonPath();
    }
}
