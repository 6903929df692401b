package io.stepwise.system;

import static io.stepwise.system.FleetRolloutIT.assertNoDuplicatedEffect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepwise.simulator.ClusterSpec;
import io.stepwise.simulator.SimulatorSettings;
import io.stepwise.simulator.fault.Fault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A pause asked for inside a Pachyderm 1.x migration (after its EXTRACT) does not leave the cluster undeployed: the
 * migration runs to its VERIFY, then the rollout is paused and the next step waits; resume finishes the rollout.
 */
class PauseInMigrationIT {

    private static final String CLUSTER = "pach-pause";
    private static Stack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack("pause", SimulatorSettings.defaults()
                .withBackupDuration(Duration.ofMillis(100))
                .withNodeRestartDuration(Duration.ofMillis(20))
                .withSyncDuration(Duration.ofMillis(20))
                .withTickInterval(Duration.ofMillis(10))).start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        stack.close();
    }

    @Test
    void aPauseAfterExtractLetsTheMigrationReachItsVerifyThenTheNextStepWaitsUntilResume() throws Exception {
        // 1.8.8 -> 1.10: two migrations (1.8 -> 1.9, 1.9 -> 1.10), each BACKUP, EXTRACT ... VERIFY
        stack.register(stack.simulator.createCluster(ClusterSpec.pachyderm(CLUSTER, "1.8.8")), Map.of("fleet", "pause"));
        String id = stack.startRollout(Map.of("product", "pachyderm", "targetVersion", "1.10",
                "clusterIds", List.of(CLUSTER)));
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> Stack.stepState(stack.rollout(id), CLUSTER, "EXTRACT").equals("RUNNING"));
        // pachd answers slowly from here on, so that the rest of the migration takes a few seconds
        stack.simulator.injectFault(Fault.slowApi(CLUSTER, 1_000));
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> Stack.stepState(stack.rollout(id), CLUSTER, "EXTRACT").equals("SUCCEEDED"));

        JsonNode paused = stack.act("/api/v1/rollouts/" + id + "/pause");
        stack.simulator.clearFaults();
        assertThat(paused.get("state").asText()).isEqualTo("PAUSED");
        int extract = Stack.step(paused, CLUSTER, "EXTRACT").get("seq").asInt();
        int verify = Stack.step(paused, CLUSTER, "VERIFY", extract).get("seq").asInt();
        assertThat(Stack.step(paused, CLUSTER, "VERIFY", extract).get("state").asText())
                .as("the pause came inside the migration").isNotEqualTo("SUCCEEDED");
        assertThat(paused.get("message").asText()).as("the message names the cluster finishing its migration")
                .contains(CLUSTER);

        // the migration runs to its VERIFY; then nothing more starts while the rollout is paused
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                .until(() -> Stack.stepState(stack.rollout(id), CLUSTER, "VERIFY", extract).equals("SUCCEEDED"));
        assertThat(stack.simulator.pachyderm(CLUSTER).deployed()).isTrue();
        assertThat(stack.simulator.pachyderm(CLUSTER).serverVersion()).hasToString("1.9.12");
        assertThat(stack.simulator.pachyderm(CLUSTER).repos()).containsEntry("images", 3L);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    JsonNode now = stack.rollout(id);
                    return now.get("state").asText().equals("PAUSED")
                            && Stack.stepAt(now, CLUSTER, verify + 1).get("state").asText().equals("PENDING");
                });

        stack.act("/api/v1/rollouts/" + id + "/resume");
        JsonNode done = stack.awaitFinished(id, Duration.ofMinutes(2));
        assertThat(done.get("state").asText()).as("rollout: %s", done.get("message")).isEqualTo("SUCCEEDED");
        assertThat(stack.simulator.pachyderm(CLUSTER).serverVersion()).hasToString("1.10.5");
        assertThat(stack.simulator.pachyderm(CLUSTER).repos()).containsEntry("images", 3L);
        assertThat(stack.simulator.violations()).as("violations").isEmpty();
        assertNoDuplicatedEffect(stack.simulator.effects());
        assertThat(stack.get("/api/v1/rollouts/" + id + "/audit/verify").get("valid").asBoolean()).isTrue();
    }
}
