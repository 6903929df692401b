package io.stepwise.system;

import static io.stepwise.system.FleetRolloutIT.assertNoDuplicatedEffect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepwise.simulator.ClusterSpec;
import io.stepwise.simulator.SimulatorSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of the executor, then of the planner, while steps are in flight: the rollout still completes, and the
 * simulator's ledger shows every effect exactly once (nothing lost, nothing done twice).
 */
class CrashSafetyIT {

    private static final int CLUSTERS = 10;
    private static Stack stack;

    @BeforeAll
    static void start() throws Exception {
        // steps slow enough that a kill lands while some are running
        stack = new Stack("crash", SimulatorSettings.defaults()
                .withBackupDuration(Duration.ofMillis(600))
                .withNodeRestartDuration(Duration.ofMillis(150))
                .withSyncDuration(Duration.ofMillis(50))
                .withTickInterval(Duration.ofMillis(10))).start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        stack.close();
    }

    @Test
    void rolloutCompletesWithEveryEffectExactlyOnceAfterKillingExecutorAndPlanner() throws Exception {
        for (int i = 0; i < CLUSTERS; i++) {
            stack.register(stack.simulator.createCluster(ClusterSpec.weaviate("crash-" + i, "1.28.16", 3, "kubernetes")
                    .withCollections(Map.of("Article", 500L))), Map.of("fleet", "crash"));
        }
        String id = stack.startRollout(Map.of("product", "weaviate", "targetVersion", "1.30", "selector", "fleet=crash",
                "strategy", Map.of("maxParallel", 5)));

        awaitProgress(id, 6);
        stack.executor.kill();
        stack.executor.start();

        awaitProgress(id, 30);
        stack.planner.kill();
        stack.planner.start();

        JsonNode done = stack.awaitFinished(id, Duration.ofMinutes(5));
        assertThat(done.get("state").asText()).as("rollout: %s", done.get("message")).isEqualTo("SUCCEEDED");
        for (int i = 0; i < CLUSTERS; i++) {
            assertThat(stack.simulator.weaviate("crash-" + i).allNodesOn("1.30.23")).as("crash-%d", i).isTrue();
            assertThat(stack.simulator.weaviate("crash-" + i).collections()).containsEntry("Article", 500L);
        }
        assertThat(stack.simulator.violations()).isEmpty();
        assertNoDuplicatedEffect(stack.simulator.effects());
        assertThat(stack.get("/api/v1/rollouts/" + id + "/audit/verify").get("valid").asBoolean()).isTrue();
    }

    /** Waits until at least {@code succeeded} steps are done and at least one more is in flight. */
    private static void awaitProgress(String rolloutId, int succeeded) {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode rollout = stack.get("/api/v1/rollouts/" + rolloutId);
            int done = 0;
            int inFlight = 0;
            for (JsonNode cluster : rollout.get("clusters")) {
                for (JsonNode step : cluster.get("steps")) {
                    String state = step.get("state").asText();
                    done += state.equals("SUCCEEDED") ? 1 : 0;
                    inFlight += state.equals("RUNNING") || state.equals("DISPATCHED") ? 1 : 0;
                }
            }
            return done >= succeeded && inFlight > 0;
        });
    }
}
