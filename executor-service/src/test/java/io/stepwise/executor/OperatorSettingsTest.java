package io.stepwise.executor;

import static io.stepwise.executor.support.SimulatorResource.simulator;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.stepwise.executor.handler.StepHandlers;
import io.stepwise.executor.handler.StepOutcome;
import io.stepwise.executor.support.RecordingProgress;
import io.stepwise.executor.support.SimulatorResource;
import io.stepwise.executor.support.TestClusters;
import io.stepwise.model.StepKind;
import io.stepwise.simulator.ClusterSpec;
import io.stepwise.simulator.ledger.Effect;
import io.stepwise.simulator.ledger.EffectType;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What two operator settings change: without {@code stepwise.executor.artifacts.directory}, a Pachyderm EXTRACT fails
 * naming it instead of writing the dump somewhere temporary; with {@code allow-filesystem-backup=true}, a single-node
 * Weaviate cluster may back up to its filesystem, a multi-node one still may not.
 */
@QuarkusTest
@TestProfile(OperatorSettingsTest.Settings.class)
@QuarkusTestResource(SimulatorResource.class)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
class OperatorSettingsTest {

    public static class Settings implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stepwise.executor.artifacts.directory", "",
                    "stepwise.executor.weaviate.allow-filesystem-backup", "true");
        }
    }

    @Inject
    StepHandlers handlers;

    @Test
    void anExtractWithoutAnArtifactsDirectoryFailsNamingTheSettingAndTouchesNothing() {
        var cluster = simulator().createCluster(ClusterSpec.pachyderm("no-artifacts", "1.8.8"));
        TestClusters steps = TestClusters.of(cluster).withExtra(Map.of("env.STEPWISE_SIMULATOR_URL", simulator().baseUrl()));

        StepOutcome extract = handlers.execute(steps.step(StepKind.EXTRACT, null, Map.of("noObjects", true)),
                new RecordingProgress());

        assertThat(extract.succeeded()).isFalse();
        assertThat(extract.message()).contains("stepwise.executor.artifacts.directory is not set")
                .contains("nothing was done");
        assertThat(simulator().effects("no-artifacts")).extracting(Effect::type).containsOnly(EffectType.CLUSTER_CREATED);
    }

    @Test
    void whenAllowedASingleNodeClusterBacksUpToItsFilesystemAndAMultiNodeOneStillDoesNot() {
        var single = simulator().createCluster(ClusterSpec.weaviate("fs-allowed-one", "1.25.34", 1, "kubernetes"));
        var three = simulator().createCluster(ClusterSpec.weaviate("fs-allowed-three", "1.25.34", 3, "kubernetes"));

        StepOutcome onOne = handlers.execute(TestClusters.of(single).step(StepKind.BACKUP, null,
                Map.of("backupId", "local-1", "backend", "filesystem")), new RecordingProgress());
        StepOutcome onThree = handlers.execute(TestClusters.of(three).step(StepKind.BACKUP, null,
                Map.of("backupId", "local-3", "backend", "filesystem")), new RecordingProgress());

        assertThat(onOne.succeeded()).as(onOne.message()).isTrue();
        assertThat(simulator().weaviate("fs-allowed-one").backups())
                .anySatisfy(b -> assertThat(b).containsEntry("id", "local-1").containsEntry("status", "SUCCESS"));
        assertThat(onThree.succeeded()).isFalse();
        assertThat(onThree.message()).contains("does not support a cluster of 3 nodes")
                .contains("nothing was sent to the cluster");
        assertThat(simulator().effects("fs-allowed-three")).noneMatch(e -> e.type() == EffectType.BACKUP_CREATED);
        assertThat(simulator().violations("fs-allowed-one")).isEmpty();
    }
}
