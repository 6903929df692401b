package io.stepwise.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepwise.infrastructure.ServiceProcess;
import io.stepwise.simulator.ClusterSpec;
import io.stepwise.simulator.SimulatorSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two executor processes share the ledger and the consumer group; one is killed with -9 while it runs a backup and
 * restarted while the other keeps running. Nothing is lost and nothing is done twice: every backup is created once,
 * every node changes version once per hop, and no two operations ever overlap on a cluster.
 */
class TwoExecutorsIT {

    private static final int CLUSTERS = 6;
    private static Stack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack("two-executors", SimulatorSettings.defaults()
                .withBackupDuration(Duration.ofSeconds(2)) // long enough to be killed in the middle of one
                .withNodeRestartDuration(Duration.ofMillis(150))
                .withSyncDuration(Duration.ofMillis(50))
                .withTickInterval(Duration.ofMillis(10)))
                .services(1, 2)
                .namedExecutors()
                .start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        stack.close();
    }

    @Test
    void anExecutorKilledInTheMiddleOfABackupLeavesNothingUndoneAndNothingDoneTwice() throws Exception {
        for (int i = 0; i < CLUSTERS; i++) {
            stack.register(stack.simulator.createCluster(ClusterSpec.weaviate("two-" + i, "1.28.16", 3, "kubernetes")
                    .withCollections(Map.of("Article", 300L + i))), Map.of("fleet", "two"));
        }
        String id = stack.startRollout(Map.of("product", "weaviate", "targetVersion", "1.30", "selector", "fleet=two",
                "strategy", Map.of("maxParallel", CLUSTERS)));

        // an executor in the middle of a backup: started (the backup exists on the cluster) and not finished
        AtomicReference<List<String[]>> running = new AtomicReference<>();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50)).until(() -> {
            running.set(runningBackups());
            return !running.get().isEmpty();
        });
        String victimName = running.get().get(0)[0];
        List<String> interrupted = running.get().stream().filter(r -> r[0].equals(victimName)).map(r -> r[1]).toList();
        ServiceProcess victim = stack.executors().stream().filter(e -> e.name().equals(victimName)).findFirst()
                .orElseThrow();
        ServiceProcess survivor = stack.executors().stream().filter(e -> e != victim).findFirst().orElseThrow();

        victim.kill();
        assertThat(survivor.isAlive()).isTrue();
        victim.start();
        assertThat(survivor.isAlive()).as("the other executor kept running").isTrue();

        JsonNode done = stack.awaitFinished(id, Duration.ofMinutes(3));
        assertThat(done.get("state").asText()).as("rollout: %s", done.get("message")).isEqualTo("SUCCEEDED");
        for (int i = 0; i < CLUSTERS; i++) {
            assertThat(stack.simulator.weaviate("two-" + i).allNodesOn("1.30.23")).as("two-%d", i).isTrue();
            assertThat(stack.simulator.weaviate("two-" + i).collections()).containsEntry("Article", 300L + i);
        }
        // the backups cut off by the kill were finished by the same attempt, not by a new one
        for (String stepId : interrupted) {
            assertThat(attemptsOf(stepId)).as("attempts of %s in the ledger", stepId).containsExactly("SUCCEEDED");
        }

        // 1.28.16 -> 1.29.11 -> 1.30.23: one backup and two hops per cluster, each done once
        Effects.assertWeaviateOperationsOnce(stack.simulator.effects(), CLUSTERS, 2 * CLUSTERS, 3);
        assertThat(stack.simulator.violations()).as("violations (CONCURRENT_OPERATION among them)").isEmpty();
    }

    /** [owner, step id] of every BACKUP attempt running for at least half a second. */
    private static List<String[]> runningBackups() throws Exception {
        List<String[]> found = new ArrayList<>();
        try (Connection db = stack.executorDatabase(); PreparedStatement q = db.prepareStatement(
                "select owner, step_id from step_execution where state = 'RUNNING' and kind = 'BACKUP'"
                        + " and started_at < now() - interval '500 milliseconds' order by started_at");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                found.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        return found;
    }

    private static List<String> attemptsOf(String stepId) throws Exception {
        List<String> states = new ArrayList<>();
        try (Connection db = stack.executorDatabase(); PreparedStatement q = db.prepareStatement(
                "select state from step_execution where step_id = ? order by attempt")) {
            q.setString(1, stepId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    states.add(rs.getString(1));
                }
            }
        }
        return states;
    }
}
