package io.stepwise.executor.weaviate;

import static io.stepwise.executor.support.SimulatorResource.simulator;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stepwise.executor.handler.StepHandlers;
import io.stepwise.executor.handler.StepOutcome;
import io.stepwise.executor.support.RecordingProgress;
import io.stepwise.executor.support.SimulatorResource;
import io.stepwise.executor.support.TestClusters;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import io.stepwise.simulator.ClusterSpec;
import io.stepwise.simulator.fault.Fault;
import io.stepwise.simulator.fault.FaultType;
import io.stepwise.simulator.ledger.Effect;
import io.stepwise.simulator.ledger.EffectType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(SimulatorResource.class)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
class WeaviateBackupRestoreTest {

    @Inject
    StepHandlers handlers;

    private static long count(String clusterId, EffectType type) {
        return simulator().effects(clusterId).stream().filter(e -> e.type() == type).count();
    }

    @Test
    void backupCompletesAndARerunAdoptsItInsteadOfCreatingAnother() {
        var cluster = simulator().createCluster(ClusterSpec.weaviate("backup-ok", "1.25.34", 3, "kubernetes"));
        TestClusters steps = TestClusters.of(cluster);
        StepRequested backup = steps.step(StepKind.BACKUP, null, Map.of("backupId", "pre-upgrade-1"));
        RecordingProgress progress = new RecordingProgress();

        StepOutcome first = handlers.execute(backup, progress);
        StepOutcome again = handlers.execute(backup, new RecordingProgress());

        assertThat(first.succeeded()).as(first.message()).isTrue();
        assertThat(again.succeeded()).as(again.message()).isTrue();
        assertThat(simulator().weaviate("backup-ok").backups())
                .anySatisfy(b -> assertThat(b).containsEntry("id", "pre-upgrade-1").containsEntry("status", "SUCCESS"));
        assertThat(count("backup-ok", EffectType.BACKUP_CREATED)).isEqualTo(1);
        assertThat(simulator().effects("backup-ok")).filteredOn(e -> e.type() == EffectType.BACKUP_CREATED)
                .extracting(Effect::stepId).containsExactly(backup.stepId());
        assertThat(progress.messages()).anyMatch(m -> m.contains("SUCCESS"));
        assertThat(simulator().violations("backup-ok")).isEmpty();
    }

    @Test
    void aFilesystemBackupIsRefusedBeforeAnyRequestByDefaultNamingTheSetting() {
        var single = simulator().createCluster(ClusterSpec.weaviate("backup-fs-one", "1.25.34", 1, "kubernetes"));
        var three = simulator().createCluster(ClusterSpec.weaviate("backup-fs-three", "1.25.34", 3, "kubernetes"));

        StepOutcome onOne = handlers.execute(TestClusters.of(single).step(StepKind.BACKUP, null,
                Map.of("backupId", "local-1", "backend", "filesystem")), new RecordingProgress());
        StepOutcome onThree = handlers.execute(TestClusters.of(three).withExtra(Map.of("backupBackend", "filesystem"))
                .step(StepKind.BACKUP, null, Map.of("backupId", "local-3")), new RecordingProgress());
        StepOutcome restore = handlers.execute(TestClusters.of(single).step(StepKind.RESTORE, null,
                Map.of("backupId", "local-1", "backend", "filesystem")), new RecordingProgress());

        for (StepOutcome refused : List.of(onOne, onThree, restore)) {
            assertThat(refused.succeeded()).isFalse();
            assertThat(refused.message()).contains("filesystem backend")
                    .contains("stepwise.executor.weaviate.allow-filesystem-backup=true")
                    .contains("nothing was sent to the cluster");
        }
        assertThat(simulator().effects("backup-fs-one")).extracting(Effect::type).containsOnly(EffectType.CLUSTER_CREATED);
        assertThat(simulator().effects("backup-fs-three")).extracting(Effect::type).containsOnly(EffectType.CLUSTER_CREATED);
    }

    @Test
    void aFailedBackupFailsTheStepWithTheReason() {
        var cluster = simulator().createCluster(ClusterSpec.weaviate("backup-fails", "1.25.34", 1, "docker"));
        simulator().injectFault(Fault.of("backup-fails", FaultType.BACKUP_FAILED));

        StepOutcome outcome = handlers.execute(TestClusters.of(cluster).step(StepKind.BACKUP, null,
                Map.of("backupId", "doomed")), new RecordingProgress());

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.message()).contains("backup doomed").contains("FAILED");
    }

    @Test
    void aRerunOfAFailedBackupAsksForANewIdAndCreatesNothing() {
        var cluster = simulator().createCluster(ClusterSpec.weaviate("backup-failed-rerun", "1.25.34", 1, "docker"));
        simulator().injectFault(Fault.of("backup-failed-rerun", FaultType.BACKUP_FAILED));
        StepRequested backup = TestClusters.of(cluster).step(StepKind.BACKUP, null, Map.of("backupId", "spent"));
        handlers.execute(backup, new RecordingProgress());

        StepOutcome again = handlers.execute(backup, new RecordingProgress());

        assertThat(again.succeeded()).isFalse();
        assertThat(again.message()).contains("backup spent").contains("already exists and ended FAILED")
                .contains("needs a new backupId");
        assertThat(count("backup-failed-rerun", EffectType.BACKUP_CREATED)).isEqualTo(1);
    }

    @Test
    void restoreRefusesABackupThatIsNotSuccessAndDeletesNothing() {
        var cluster = simulator().createCluster(ClusterSpec.weaviate("restore-refused", "1.25.34", 1, "docker")
                .withCollections(Map.of("Article", 500L)));
        simulator().injectFault(Fault.of("restore-refused", FaultType.BACKUP_FAILED));
        TestClusters steps = TestClusters.of(cluster);
        handlers.execute(steps.step(StepKind.BACKUP, null, Map.of("backupId", "bad")), new RecordingProgress());

        StepOutcome restore = handlers.execute(steps.step(StepKind.RESTORE, null, Map.of("backupId", "bad")),
                new RecordingProgress());

        assertThat(restore.succeeded()).isFalse();
        assertThat(restore.message()).contains("not SUCCESS").contains("nothing was deleted");
        assertThat(simulator().weaviate("restore-refused").collections()).containsEntry("Article", 500L);
        assertThat(count("restore-refused", EffectType.RESTORE_STARTED)).isZero();
    }

    @Test
    void restoreKeepsCollectionsCreatedAfterTheBackupWhenTheClusterCanListIt() {
        var cluster = simulator().createCluster(ClusterSpec.weaviate("restore-keep", "1.27.27", 1, "docker")
                .withCollections(Map.of("Article", 10L)));
        TestClusters steps = TestClusters.of(cluster);
        assertThat(handlers.execute(steps.step(StepKind.BACKUP, null, Map.of("backupId", "b-keep")),
                new RecordingProgress()).succeeded()).isTrue();
        RecordingProgress progress = new RecordingProgress();

        StepOutcome restore = handlers.execute(steps.step(StepKind.RESTORE, null, Map.of("backupId", "b-keep")), progress);

        assertThat(restore.succeeded()).as(restore.message()).isTrue();
        assertThat(progress.messages()).anyMatch(m -> m.contains("that the backup holds") && m.contains("[Article]"));
        assertThat(simulator().weaviate("restore-keep").collections()).containsEntry("Article", 10L);
        assertThat(simulator().violations("restore-keep")).isEmpty();
    }

    @Test
    void restoreOfAMissingBackupIsRefused() {
        var cluster = simulator().createCluster(ClusterSpec.weaviate("restore-missing", "1.25.34", 1, "docker"));

        StepOutcome restore = handlers.execute(TestClusters.of(cluster).step(StepKind.RESTORE, null,
                Map.of("backupId", "never-taken")), new RecordingProgress());

        assertThat(restore.succeeded()).isFalse();
        assertThat(restore.message()).contains("never-taken").contains("does not exist");
    }

    @Test
    void restoreReplacesTheBackedUpCollectionsWithTheirBackedUpContent() {
        var cluster = simulator().createCluster(ClusterSpec.weaviate("restore-ok", "1.26.18", 3, "kubernetes")
                .withCollections(Map.of("Article", 1000L, "Publication", 20L)));
        TestClusters steps = TestClusters.of(cluster);
        assertThat(handlers.execute(steps.step(StepKind.BACKUP, null, Map.of("backupId", "b-restore")),
                new RecordingProgress()).succeeded()).isTrue();
        RecordingProgress progress = new RecordingProgress();

        StepOutcome restore = handlers.execute(steps.step(StepKind.RESTORE, null, Map.of("backupId", "b-restore")), progress);

        StepOutcome rerun = handlers.execute(steps.step(StepKind.RESTORE, null, Map.of("backupId", "b-restore")),
                new RecordingProgress());

        assertThat(restore.succeeded()).as(restore.message()).isTrue();
        assertThat(restore.message()).contains("Article").contains("Publication");
        assertThat(rerun.succeeded()).as(rerun.message()).isTrue();
        assertThat(count("restore-ok", EffectType.RESTORE_STARTED)).as("a rerun adopts the restore").isEqualTo(1);
        assertThat(simulator().weaviate("restore-ok").collections())
                .containsEntry("Article", 1000L).containsEntry("Publication", 20L);
        assertThat(simulator().weaviate("restore-ok").dataCorrupted()).isFalse();
        assertThat(simulator().violations("restore-ok")).isEmpty();
    }
}
