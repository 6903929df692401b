package io.stepwise.system;

import static io.stepwise.system.FleetRolloutIT.assertNoDuplicatedEffect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepwise.simulator.ClusterSpec;
import io.stepwise.simulator.Durations;
import io.stepwise.simulator.SimulatorSettings;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One rollout at a time on each cluster: a rollout over a cluster another unfinished rollout holds is refused with 409
 * naming both (or skips it when asked), and two planner processes that receive such rollouts at the same moment never
 * both take the cluster.
 */
class LeasesIT {

    private static final int ROUNDS = 4;
    private static Stack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack("leases", SimulatorSettings.defaults()
                .withBackupDuration(Duration.ofMillis(100))
                .withNodeRestartDuration(Duration.ofMillis(20))
                .withSyncDuration(Duration.ofMillis(20))
                .withTickInterval(Duration.ofMillis(10)))
                .services(2, 1)
                .start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        stack.close();
    }

    @Test
    void anOverlappingRolloutIsRefusedNamingTheHolderOrSkipsTheBusyCluster() throws Exception {
        // held long enough for the second request to meet the lease: a backup of a few seconds
        stack.register(stack.simulator.createCluster(ClusterSpec.weaviate("held", "1.30.5", 3, "kubernetes")
                .withDurations(new Durations(Duration.ofSeconds(3), Duration.ofMillis(20), Duration.ofMillis(20)))),
                Map.of("fleet", "leases"));
        stack.register(stack.simulator.createCluster(ClusterSpec.weaviate("free", "1.30.5", 3, "kubernetes")),
                Map.of("fleet", "leases"));
        String holder = stack.startRollout(Map.of("product", "weaviate", "targetVersion", "1.30",
                "clusterIds", List.of("held")));
        int rolloutsBefore = stack.get("/api/v1/rollouts").get("items").size();

        HttpResponse<String> refused = stack.post("/api/v1/rollouts", Map.of("product", "weaviate",
                "targetVersion", "1.30", "selector", "fleet=leases"));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                assertThat(t).startsWith("application/problem+json"));
        JsonNode problem = Stack.JSON.readTree(refused.body());
        assertThat(problem.get("busyClusters")).hasSize(1);
        assertThat(problem.get("busyClusters").get(0).get("clusterId").asText()).isEqualTo("held");
        assertThat(problem.get("busyClusters").get(0).get("rolloutId").asText()).isEqualTo(holder);
        assertThat(problem.get("detail").asText()).contains("held", holder);
        assertThat(stack.get("/api/v1/rollouts").get("items")).as("a refused rollout changes nothing")
                .hasSize(rolloutsBefore);

        String skipping = stack.startRollout(Map.of("product", "weaviate", "targetVersion", "1.30",
                "selector", "fleet=leases", "busyClusters", "skip"));
        JsonNode skipped = Stack.cluster(stack.rollout(skipping), "held");
        assertThat(skipped.get("state").asText()).isEqualTo("SKIPPED");
        assertThat(skipped.get("refusalCode").asText()).isEqualTo("CLUSTER_BUSY");
        assertThat(skipped.get("message").asText()).contains(holder);

        JsonNode first = stack.awaitFinished(holder, Duration.ofMinutes(2));
        JsonNode second = stack.awaitFinished(skipping, Duration.ofMinutes(2));
        assertThat(first.get("state").asText()).as("holder: %s", first.get("message")).isEqualTo("SUCCEEDED");
        assertThat(second.get("state").asText()).as("skipping: %s", second.get("message")).isEqualTo("SUCCEEDED");
        assertThat(Stack.cluster(second, "free").get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(Stack.cluster(second, "held").get("state").asText()).isEqualTo("SKIPPED");
        assertThat(stack.simulator.weaviate("held").allNodesOn("1.30.23")).isTrue();
        assertThat(stack.simulator.weaviate("free").allNodesOn("1.30.23")).isTrue();
        assertThat(stack.simulator.violations()).as("violations").isEmpty();
        assertNoDuplicatedEffect(stack.simulator.effects());
    }

    @Test
    void twoPlannersTakingOneClusterAtTheSameMomentNeverBothWin() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            stack.register(stack.simulator.createCluster(ClusterSpec.weaviate("race-" + round, "1.30.5", 3,
                    "kubernetes")), Map.of("fleet", "race"));
        }
        List<String> winners = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            String cluster = "race-" + round;
            Map<String, Object> body = Map.of("product", "weaviate", "targetVersion", "1.30",
                    "clusterIds", List.of(cluster));
            // both requests leave together, one to each planner process
            CompletableFuture<HttpResponse<String>> one = stack.postAsync(stack.planners().get(0), "/api/v1/rollouts", body);
            CompletableFuture<HttpResponse<String>> two = stack.postAsync(stack.planners().get(1), "/api/v1/rollouts", body);
            List<HttpResponse<String>> answers = List.of(one.join(), two.join());

            List<HttpResponse<String>> won = answers.stream().filter(r -> r.statusCode() == 202).toList();
            List<HttpResponse<String>> lost = answers.stream().filter(r -> r.statusCode() == 409).toList();
            assertThat(won).as("round %d: exactly one winner; answers: %s", round, bodies(answers)).hasSize(1);
            assertThat(lost).as("round %d: the other refused; answers: %s", round, bodies(answers)).hasSize(1);
            String winner = Stack.JSON.readTree(won.get(0).body()).get("id").asText();
            JsonNode busy = Stack.JSON.readTree(lost.get(0).body()).get("busyClusters");
            assertThat(busy).as("round %d: %s", round, lost.get(0).body()).hasSize(1);
            assertThat(busy.get(0).get("clusterId").asText()).isEqualTo(cluster);
            assertThat(busy.get(0).get("rolloutId").asText()).isEqualTo(winner);
            winners.add(winner);
        }
        for (String winner : winners) {
            JsonNode done = stack.awaitFinished(winner, Duration.ofMinutes(2));
            assertThat(done.get("state").asText()).as("rollout %s: %s", winner, done.get("message"))
                    .isEqualTo("SUCCEEDED");
        }
        for (int round = 0; round < ROUNDS; round++) {
            assertThat(stack.simulator.weaviate("race-" + round).allNodesOn("1.30.23")).as("race-%d", round).isTrue();
        }
        assertThat(stack.simulator.violations()).as("violations").isEmpty();
        assertNoDuplicatedEffect(stack.simulator.effects());
    }

    private static List<String> bodies(List<HttpResponse<String>> answers) {
        return answers.stream().map(r -> r.statusCode() + " " + r.body()).toList();
    }
}
