package io.stepwise.executor.pachyderm;

import static io.stepwise.executor.support.LedgerRows.query;
import static io.stepwise.executor.support.LedgerRows.update;
import static io.stepwise.executor.support.SimulatorResource.simulator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stepwise.executor.artifact.Artifact;
import io.stepwise.executor.handler.StepHandlers;
import io.stepwise.executor.handler.StepOutcome;
import io.stepwise.executor.support.RecordingProgress;
import io.stepwise.executor.support.SimulatorResource;
import io.stepwise.executor.support.StepTopic;
import io.stepwise.executor.support.TestClusters;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import io.stepwise.model.StepState;
import io.stepwise.model.StepStatus;
import io.stepwise.model.Topics;
import io.stepwise.simulator.ClusterSpec;
import io.stepwise.simulator.ledger.Effect;
import io.stepwise.simulator.ledger.EffectType;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Pachyderm dumps are artifacts that outlive the executor: written to the artifacts directory with their size and
 * SHA-256 in the ledger, and checked before UNDEPLOY (after it, the dump is the only way back) and again before
 * RESTORE. A dump changed or gone stops the migration before the cluster is touched; one written by an executor that
 * died serves the RESTORE that another executor takes over.
 */
@QuarkusTest
@QuarkusTestResource(SimulatorResource.class)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
class PachydermDumpsTest {

    @Inject
    StepHandlers handlers;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "stepwise.executor.artifacts.directory")
    String artifactsDirectory;

    private TestClusters cluster(String id, String version) {
        return TestClusters.of(simulator().createCluster(ClusterSpec.pachyderm(id, version)))
                .withExtra(Map.of("env.STEPWISE_SIMULATOR_URL", simulator().baseUrl()));
    }

    private StepOutcome run(StepRequested step) {
        return handlers.execute(step, new RecordingProgress());
    }

    @Test
    void aDumpChangedAfterTheExtractStopsTheMigrationBeforeUndeployAndNothingIsUndeployed() throws Exception {
        TestClusters steps = cluster("dump-tampered", "1.8.8");
        assertThat(run(steps.step(StepKind.EXTRACT, null, Map.of("noObjects", true))).succeeded()).isTrue();
        Path dump = Path.of(artifactsDirectory, "dump-tampered", "extract-" + steps.rolloutId() + ".dump");
        byte[] bytes = Files.readAllBytes(dump);
        bytes[bytes.length / 2] ^= 0x20;
        Files.write(dump, bytes);

        StepOutcome undeploy = run(steps.step(StepKind.UNDEPLOY));

        assertThat(undeploy.succeeded()).isFalse();
        assertThat(undeploy.message()).contains("changed since it was written").contains(dump.toString())
                .contains("refusing to undeploy, nothing was changed");
        assertThat(simulator().effects("dump-tampered")).noneMatch(e -> e.type() == EffectType.UNDEPLOY);
        assertThat(simulator().pachyderm("dump-tampered").deployed()).isTrue();
        assertThat(simulator().violations("dump-tampered")).isEmpty();
    }

    @Test
    void anUndeployWithoutAnExtractOfItsMigrationIsRefused() {
        TestClusters steps = cluster("dump-none", "1.8.8");

        StepOutcome undeploy = run(steps.step(StepKind.UNDEPLOY));

        assertThat(undeploy.succeeded()).isFalse();
        assertThat(undeploy.message()).contains("no extract of this migration (rollout " + steps.rolloutId() + ")")
                .contains("refusing to undeploy, nothing was changed");
        assertThat(simulator().effects("dump-none")).extracting(Effect::type).containsOnly(EffectType.CLUSTER_CREATED);
    }

    @Test
    void aDumpSurvivesTheExecutorThatWroteItAndTheRestoreTakenOverChecksItAgain() throws Exception {
        TestClusters steps = cluster("dump-kept", "1.8.8");
        Map<String, Long> repos = simulator().pachyderm("dump-kept").repos();
        StepRequested extract = steps.step(StepKind.EXTRACT, null, Map.of("noObjects", true));
        for (StepRequested step : List.of(extract, steps.step(StepKind.UNDEPLOY), steps.step(StepKind.DEPLOY, "1.9.12"))) {
            StepOutcome outcome = run(step);
            assertThat(outcome.succeeded()).as("%s: %s", step.kind(), outcome.message()).isTrue();
        }
        Path dump = Path.of(artifactsDirectory, "dump-kept", "extract-" + steps.rolloutId() + ".dump");
        Artifact.Content content = Artifact.Content.of(dump);
        assertThat(query("select path, size_bytes, sha256, kind, step_id from artifact where cluster_id = ?", "dump-kept"))
                .singleElement().satisfies(row -> assertThat(row).containsEntry("path", dump.toString())
                        .containsEntry("size_bytes", content.size()).containsEntry("sha256", content.sha256())
                        .containsEntry("kind", "EXTRACT").containsEntry("step_id", extract.stepId()));
        // The executor that started the RESTORE died: its lease has expired, and this executor takes it over.
        StepRequested restore = steps.step(StepKind.RESTORE);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        update("insert into step_execution (step_id, attempt, rollout_id, cluster_id, seq, kind, request, state,"
                        + " received_at, started_at, owner, lease_until) values (?, 1, ?, ?, ?, 'RESTORE', ?, 'RUNNING', ?, ?,"
                        + " 'dead-executor', ?)", restore.stepId(), restore.rolloutId(), restore.clusterId(), restore.seq(),
                json.writeValueAsString(restore), now, now, now.minusSeconds(1));

        try (StepTopic topic = new StepTopic()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> end(topic, restore) != null);
            StepStatus done = end(topic, restore);
            assertThat(done.state()).as(done.message()).isEqualTo(StepState.SUCCEEDED);
        }
        assertThat(simulator().pachyderm("dump-kept").repos()).isEqualTo(repos).isNotEmpty();
        assertThat(simulator().effects("dump-kept")).filteredOn(e -> e.type() == EffectType.PACHYDERM_RESTORE)
                .extracting(Effect::stepId).containsExactly(restore.stepId());
        assertThat(simulator().violations("dump-kept")).isEmpty();
    }

    @Test
    void aDumpGoneBeforeTheRestoreStopsItBeforePachctlRestoreRuns() throws Exception {
        TestClusters steps = cluster("dump-gone", "1.8.8");
        for (StepRequested step : List.of(steps.step(StepKind.EXTRACT, null, Map.of("noObjects", true)),
                steps.step(StepKind.UNDEPLOY), steps.step(StepKind.DEPLOY, "1.9.12"))) {
            assertThat(run(step).succeeded()).isTrue();
        }
        Files.delete(Path.of(artifactsDirectory, "dump-gone", "extract-" + steps.rolloutId() + ".dump"));

        StepOutcome restore = run(steps.step(StepKind.RESTORE));

        assertThat(restore.succeeded()).isFalse();
        assertThat(restore.message()).contains("is gone").contains("refusing to restore, nothing was changed");
        assertThat(simulator().effects("dump-gone")).noneMatch(e -> e.type() == EffectType.PACHYDERM_RESTORE);
    }

    private static StepStatus end(StepTopic topic, StepRequested step) {
        return topic.events(Topics.STEP_STATUS, "io.stepwise.step.", StepStatus.class).stream()
                .filter(s -> s.stepId().equals(step.stepId()) && s.state().isTerminal()).findFirst().orElse(null);
    }
}
