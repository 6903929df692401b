package io.stepwise.planner.rules;

import static io.stepwise.planner.rules.RecoveryTables.BACKED_UP;
import static io.stepwise.planner.rules.RecoveryTables.BACKUP_FAILED;
import static io.stepwise.planner.rules.RecoveryTables.described;
import static io.stepwise.planner.rules.RecoveryTables.option;
import static io.stepwise.planner.rules.RecoveryTables.recover;
import static io.stepwise.planner.rules.RuleTables.steps;
import static org.assertj.core.api.Assertions.assertThat;

import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.planner.rules.RecoveryOption.Kind;
import org.junit.jupiter.api.Test;

/** Rules P7 and P8: Pachyderm has no downgrade; a 1.x dump is restored into a fresh deployment, a 2.x one by hand. */
class PachydermRecoveryTest {

    @Test
    void aOneXClusterIsRedeployedOnItsVersionBeforeAndItsDumpRestored() {
        RecoveryPlanner.Recovery recovery = recover(Product.PACHYDERM, "1.10.5", "1.9.12", 1, BACKED_UP);

        RecoveryOption restore = option(recovery, Kind.RESTORE_BACKUP);
        assertThat(restore.allowed()).isTrue();
        assertThat(restore.rule()).isEqualTo("P8");
        assertThat(described(restore)).isEqualTo(steps("UNDEPLOY P8; DEPLOY 1.9.12 P8; RESTORE P8; VERIFY 1.9.12 P8"));
        assertThat(restore.steps()).filteredOn(s -> s.kind() == StepKind.UNDEPLOY || s.kind() == StepKind.RESTORE)
                .allSatisfy(s -> assertThat(s.params()).containsEntry("backupId", "sw-c1-abc-1"))
                .allSatisfy(s -> assertThat(s.segment()).contains("P8"));
        assertThat(recovery.backupArtefact()).isEqualTo("{stepwise.executor.artifacts.directory}/c1/sw-c1-abc-1.dump");

        RecoveryOption downgrade = option(recovery, Kind.DOWNGRADE);
        assertThat(downgrade.allowed()).isFalse();
        assertThat(downgrade.rule()).isEqualTo("P7");
        assertThat(downgrade.reason()).contains("no downgrade procedure");
    }

    @Test
    void aTwoXBackupIsTheOperatorsToLoadBack() {
        RecoveryPlanner.Recovery recovery = recover(Product.PACHYDERM, "2.9.7", "2.8.10", 1, BACKED_UP);
        RecoveryOption restore = option(recovery, Kind.RESTORE_BACKUP);
        assertThat(restore.allowed()).isFalse();
        assertThat(restore.rule()).isEqualTo("P8");
        assertThat(restore.reason()).contains("pg_dump", "helm install 2.8.10", "sw-c1-abc-1.dump");
        assertThat(option(recovery, Kind.DOWNGRADE).allowed()).isFalse();
    }

    @Test
    void aFailedBackupOrAClusterThatNeverMovedSaySo() {
        RecoveryPlanner.Recovery recovery = recover(Product.PACHYDERM, "1.9.12", "1.9.12", 1, BACKUP_FAILED);
        assertThat(option(recovery, Kind.RESTORE_BACKUP).rule()).isEqualTo("P1");
        assertThat(option(recovery, Kind.RESTORE_BACKUP).reason()).contains("did not succeed", "bucket full");
        assertThat(option(recovery, Kind.DOWNGRADE).reason()).contains("nothing to go back from");

        RecoveryOption inPlace = option(recover(Product.PACHYDERM, "1.9.12", "1.9.12", 1, BACKED_UP),
                Kind.RESTORE_BACKUP);
        assertThat(described(inPlace)).isEqualTo(steps("UNDEPLOY P8; DEPLOY 1.9.12 P8; RESTORE P8; VERIFY 1.9.12 P8"));
    }
}
