package io.stepwise.executor.pachyderm;

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
import io.stepwise.simulator.ledger.Effect;
import io.stepwise.simulator.ledger.EffectType;
import io.stepwise.simulator.pachyderm.PachydermCluster;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pachyderm steps through the real pachctl process (the simulator's stand-in) and helm for 2.x. */
@QuarkusTest
@QuarkusTestResource(SimulatorResource.class)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
class PachydermHandlersTest {

    @Inject
    StepHandlers handlers;

    private TestClusters cluster(String id, String version) {
        return TestClusters.of(simulator().createCluster(ClusterSpec.pachyderm(id, version)))
                .withExtra(Map.of("env.STEPWISE_SIMULATOR_URL", simulator().baseUrl()));
    }

    private StepOutcome run(StepRequested step) {
        return handlers.execute(step, new RecordingProgress());
    }

    @Test
    void theP3MigrationFrom18To19KeepsEveryRepo() {
        TestClusters steps = cluster("pach-migrate", "1.8.8");
        Map<String, Long> before = simulator().pachyderm("pach-migrate").repos();
        List<StepRequested> plan = List.of(
                steps.step(StepKind.BACKUP, null, Map.of("backupId", "pach-p1")),
                steps.step(StepKind.EXTRACT, null, Map.of("noObjects", true)),
                steps.step(StepKind.UNDEPLOY),
                steps.step(StepKind.DEPLOY, "1.9.12"),
                steps.step(StepKind.RESTORE),
                steps.step(StepKind.VERIFY, "1.9.12"));
        List<String> stepIds = new ArrayList<>();

        for (StepRequested step : plan) {
            stepIds.add(step.stepId());
            StepOutcome outcome = run(step);
            assertThat(outcome.succeeded()).as("%s: %s", step.kind(), outcome.message()).isTrue();
        }

        PachydermCluster after = simulator().pachyderm("pach-migrate");
        assertThat(after.serverVersion().toString()).isEqualTo("1.9.12");
        assertThat(after.clientVersion().toString()).isEqualTo("1.9.12");
        assertThat(after.deployed()).isTrue();
        assertThat(after.repos()).isEqualTo(before).isNotEmpty();
        assertThat(simulator().violations("pach-migrate")).isEmpty();
        assertThat(simulator().effects("pach-migrate")).filteredOn(e -> e.type() == EffectType.PACHYDERM_RESTORE)
                .extracting(Effect::stepId).containsExactly(plan.get(4).stepId());
        assertThat(simulator().effects("pach-migrate")).filteredOn(e -> e.type() == EffectType.DEPLOY)
                .singleElement().satisfies(e -> assertThat(e.details()).containsEntry("freshMetadata", true));
        assertThat(simulator().effects("pach-migrate")).filteredOn(e -> e.type() != EffectType.CLUSTER_CREATED)
                .extracting(Effect::stepId).allMatch(stepIds::contains);
    }

    @Test
    void aPointUpgradeRedeploysTheNewVersionWithItsClient() {
        TestClusters steps = cluster("pach-point", "1.9.5");

        StepOutcome backup = run(steps.step(StepKind.BACKUP, null, Map.of("backupId", "pach-point-b")));
        StepOutcome upgrade = run(steps.step(StepKind.UPGRADE, "1.9.12"));
        StepOutcome verify = run(steps.step(StepKind.VERIFY, "1.9.12"));

        assertThat(List.of(backup, upgrade, verify)).allSatisfy(o -> assertThat(o.succeeded()).as(o.message()).isTrue());
        assertThat(verify.message()).contains("pachctl 1.9.12, pachd 1.9.12")
                .contains("1 repo holds at least the 3 commits counted before the upgrade");
        assertThat(simulator().pachyderm("pach-point").repos()).containsEntry("images", 3L);
        assertThat(simulator().violations("pach-point")).isEmpty();
    }

    @Test
    void commitsLostDuringAnUpgradeFailVerifyWithTheNumbers() {
        TestClusters steps = cluster("pach-lossy", "1.9.5");
        assertThat(run(steps.step(StepKind.BACKUP, null, Map.of("backupId", "pach-lossy-b"))).succeeded()).isTrue();
        assertThat(run(steps.step(StepKind.UPGRADE, "1.9.12")).succeeded()).isTrue();
        simulator().loseObjects("pach-lossy", "images", 2, null);

        StepOutcome verify = run(steps.step(StepKind.VERIFY, "1.9.12"));

        assertThat(verify.succeeded()).isFalse();
        assertThat(verify.message()).isEqualTo("commits lost on cluster pach-lossy: repo images has 1 commit, 3 before"
                + " the upgrade (2 lost)");
    }

    @Test
    void a2xUpgradeGoesThroughHelmAndA2xBackupWithoutACommandIsRefused() {
        TestClusters steps = cluster("pach-v2", "2.10.7");

        StepOutcome backup = run(steps.step(StepKind.BACKUP, null, Map.of("backupId", "v2")));
        StepOutcome upgrade = run(steps.step(StepKind.UPGRADE, "2.11.6"));
        StepOutcome verify = run(steps.step(StepKind.VERIFY, "2.11.6"));

        assertThat(backup.succeeded()).isFalse();
        assertThat(backup.message()).contains("no pachctl extract").contains("v2-backup-command");
        assertThat(upgrade.succeeded()).as(upgrade.message()).isTrue();
        assertThat(verify.succeeded()).as(verify.message()).isTrue();
        assertThat(simulator().pachyderm("pach-v2").serverVersion().toString()).isEqualTo("2.11.6");
    }

    @Test
    void restoreIntoAClusterThatHoldsReposIsRefusedBeforePachctlRestoreRuns() {
        TestClusters steps = cluster("pach-nonempty", "1.9.12");
        assertThat(run(steps.step(StepKind.EXTRACT, null, Map.of("noObjects", true))).succeeded()).isTrue();

        StepOutcome restore = run(steps.step(StepKind.RESTORE));

        assertThat(restore.succeeded()).isFalse();
        assertThat(restore.message()).contains("holds repos [images]").contains("nothing was restored");
        assertThat(simulator().violations("pach-nonempty")).isEmpty();
        assertThat(simulator().effects("pach-nonempty")).noneMatch(e -> e.type() == EffectType.PACHYDERM_RESTORE);
    }

    @Test
    void aFailingPachctlReportsItsExitCodeAndStderr() {
        TestClusters steps = cluster("pach-badargs", "1.9.12").withExtra(Map.of("deployArgs", "nowhere"));
        assertThat(run(steps.step(StepKind.EXTRACT, null, Map.of("noObjects", true))).succeeded()).isTrue();
        assertThat(run(steps.step(StepKind.UNDEPLOY)).succeeded()).isTrue();

        StepOutcome deploy = run(steps.step(StepKind.DEPLOY, "1.9.12"));

        assertThat(deploy.succeeded()).isFalse();
        assertThat(deploy.message()).contains("pachctl").contains("deploy nowhere").contains("exited 1")
                .contains("deploy needs a target");
    }

    @Test
    void verifyOfAnUndeployedClusterFailsSayingPachdDoesNotAnswer() {
        TestClusters steps = cluster("pach-down", "1.9.12");
        assertThat(run(steps.step(StepKind.EXTRACT, null, Map.of("noObjects", true))).succeeded()).isTrue();
        assertThat(run(steps.step(StepKind.UNDEPLOY)).succeeded()).isTrue();

        StepOutcome verify = run(steps.step(StepKind.VERIFY, "1.9.12"));

        assertThat(verify.succeeded()).isFalse();
        assertThat(verify.message()).contains("timed out").contains("pachd (not answering)");
    }
}
