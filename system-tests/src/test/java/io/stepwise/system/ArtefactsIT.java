package io.stepwise.system;

import static io.stepwise.system.FleetRolloutIT.assertNoDuplicatedEffect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepwise.simulator.ClusterSpec;
import io.stepwise.simulator.SimulatorSettings;
import io.stepwise.simulator.fault.Fault;
import io.stepwise.simulator.ledger.Effect;
import io.stepwise.simulator.ledger.EffectType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Pachyderm 1.x migration's way back, the dump its EXTRACT wrote, outlives the executor that wrote it and is checked
 * before anything relies on it: after a kill -9 of the executor right after EXTRACT the migration completes from that
 * dump; a dump changed on disk after EXTRACT stops the migration before UNDEPLOY, the cluster still deployed.
 */
class ArtefactsIT {

    private static Stack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack("artefacts", SimulatorSettings.defaults()
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
    void theDumpSurvivesTheExecutorKilledRightAfterExtractAndTheMigrationCompletes() throws Exception {
        String cluster = "dump-kept";
        stack.register(stack.simulator.createCluster(ClusterSpec.pachyderm(cluster, "1.9.12")), Map.of("fleet", "dumps"));
        String id = stack.startRollout(Map.of("product", "pachyderm", "targetVersion", "1.10",
                "clusterIds", List.of(cluster)));
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> Stack.stepState(stack.rollout(id), cluster, "EXTRACT").equals("RUNNING"));
        // pachd answers slowly from here on: the step after EXTRACT is still under way when the executor dies
        stack.simulator.injectFault(Fault.slowApi(cluster, 1_000));
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> Stack.stepState(stack.rollout(id), cluster, "EXTRACT").equals("SUCCEEDED"));

        stack.executor.kill();
        stack.simulator.clearFaults();
        Path dump = dumpOf(cluster);
        assertThat(dump).as("the dump EXTRACT wrote").isRegularFile();
        byte[] written = Files.readAllBytes(dump);
        stack.executor.start();

        JsonNode done = stack.awaitFinished(id, Duration.ofMinutes(2));
        assertThat(done.get("state").asText()).as("rollout: %s", done.get("message")).isEqualTo("SUCCEEDED");
        assertThat(Files.readAllBytes(dump)).as("the dump, unchanged").isEqualTo(written);
        assertThat(stack.simulator.pachyderm(cluster).deployed()).isTrue();
        assertThat(stack.simulator.pachyderm(cluster).serverVersion()).hasToString("1.10.5");
        assertThat(stack.simulator.pachyderm(cluster).repos()).as("restored from the dump").containsEntry("images", 3L);
        List<Effect> effects = stack.simulator.effects(cluster);
        for (EffectType once : List.of(EffectType.UNDEPLOY, EffectType.DEPLOY, EffectType.PACHYDERM_RESTORE)) {
            assertThat(effects.stream().filter(e -> e.type() == once)).as("%s", once).hasSize(1);
        }
        assertNoDuplicatedEffect(effects);
        assertThat(stack.simulator.violations(cluster)).as("violations").isEmpty();
    }

    @Test
    void aDumpChangedAfterExtractStopsTheMigrationBeforeUndeploy() throws Exception {
        String cluster = "dump-changed";
        stack.register(stack.simulator.createCluster(ClusterSpec.pachyderm(cluster, "1.9.12")), Map.of("fleet", "dumps"));
        String id = stack.startRollout(Map.of("product", "pachyderm", "targetVersion", "1.10",
                "clusterIds", List.of(cluster)));
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> Stack.stepState(stack.rollout(id), cluster, "EXTRACT").equals("RUNNING"));
        // EXTRACT takes a few seconds now; the planner is away meanwhile, so UNDEPLOY waits until it is back and the
        // dump can be changed in between, as someone or something on the shared volume might
        stack.simulator.injectFault(Fault.slowApi(cluster, 1_500));
        stack.planner.kill();
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                .until(() -> extractRecorded(cluster));
        stack.simulator.clearFaults();
        Path dump = dumpOf(cluster);
        Files.writeString(dump, "{\"kind\":\"pachyderm-extract\",\"repos\":{}}\n", StandardOpenOption.APPEND);
        stack.planner.start();

        JsonNode done = stack.awaitFinished(id, Duration.ofMinutes(2));
        assertThat(done.get("state").asText()).isEqualTo("FAILED");
        JsonNode undeploy = Stack.step(done, cluster, "UNDEPLOY");
        assertThat(undeploy.get("state").asText()).isEqualTo("FAILED");
        assertThat(undeploy.get("error").asText()).contains("changed since it was written", "refusing to undeploy");
        assertThat(Stack.step(done, cluster, "DEPLOY").get("state").asText()).isEqualTo("PENDING");

        assertThat(stack.simulator.pachyderm(cluster).deployed()).as("still deployed").isTrue();
        assertThat(stack.simulator.pachyderm(cluster).serverVersion()).hasToString("1.9.12");
        assertThat(stack.simulator.pachyderm(cluster).repos()).containsEntry("images", 3L);
        assertThat(stack.simulator.effects(cluster)).noneMatch(e -> e.type() == EffectType.UNDEPLOY
                || e.type() == EffectType.DEPLOY || e.type() == EffectType.PACHYDERM_RESTORE);
        assertNoDuplicatedEffect(stack.simulator.effects(cluster));
        assertThat(stack.simulator.violations(cluster)).as("violations").isEmpty();
    }

    /** The only dump EXTRACT writes for the cluster: {artifacts.directory}/{cluster}/extract-{rollout}.dump. */
    private static Path dumpOf(String cluster) throws Exception {
        try (Connection db = stack.executorDatabase(); PreparedStatement q = db.prepareStatement(
                "select path from artifact where cluster_id = ? and kind = 'EXTRACT'")) {
            q.setString(1, cluster);
            try (ResultSet rs = q.executeQuery()) {
                assertThat(rs.next()).as("an EXTRACT dump recorded for %s", cluster).isTrue();
                Path path = Path.of(rs.getString(1));
                assertThat(path).startsWith(stack.artifacts());
                return path;
            }
        }
    }

    /** The executor recorded its EXTRACT of the cluster as succeeded, with its dump. */
    private static boolean extractRecorded(String cluster) throws Exception {
        try (Connection db = stack.executorDatabase(); PreparedStatement q = db.prepareStatement(
                "select count(*) from step_execution s join artifact a on a.cluster_id = s.cluster_id"
                        + " and a.kind = 'EXTRACT' where s.cluster_id = ? and s.kind = 'EXTRACT'"
                        + " and s.state = 'SUCCEEDED'")) {
            q.setString(1, cluster);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() && rs.getInt(1) > 0;
            }
        }
    }
}
