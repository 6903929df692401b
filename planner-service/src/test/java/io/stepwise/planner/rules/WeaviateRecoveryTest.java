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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Rules W10 and W11: the ways back for a Weaviate cluster that failed in a rollout, and the vendor's reasons. */
class WeaviateRecoveryTest {

    /** now, before, nodes → downgrade (steps, or the rule that refuses it), restore (steps, or the rule). */
    static Stream<Arguments> table() {
        return Stream.of(
                // failed on its second hop: back down one minor, or the same and the backup restored
                Arguments.of("1.29.11", "1.28.5", 3,
                        "BACKUP W3; SYNC_CHECK W7; DOWNGRADE 1.28.5 W9; VERIFY 1.28.5 W8",
                        "BACKUP W3; SYNC_CHECK W7; DOWNGRADE 1.28.5 W9; VERIFY 1.28.5 W8; RESTORE W11; VERIFY 1.28.5 W8"),
                // W9a: 1.28.16 writes RAFT snapshots 1.27.20 cannot read, on more than one node; both ways need it
                Arguments.of("1.28.16", "1.27.20", 3, "refused W9a", "refused W9a"),
                // ... a single node has no RAFT peers to disagree with
                Arguments.of("1.28.16", "1.27.20", 1,
                        "BACKUP W3; SYNC_CHECK W7; DOWNGRADE 1.27.20 W9; VERIFY 1.27.20 W8",
                        "BACKUP W3; SYNC_CHECK W7; DOWNGRADE 1.27.20 W9; VERIFY 1.27.20 W8; RESTORE W11;"
                                + " VERIFY 1.27.20 W8"),
                // W9b: below 1.25 the schema goes back to v1 first, on 1.25
                Arguments.of("1.25.34", "1.24.10", 3,
                        "BACKUP W3; SCHEMA_DOWNGRADE W9b; DOWNGRADE 1.24.10 W9; VERIFY 1.24.10 W8",
                        "BACKUP W3; SCHEMA_DOWNGRADE W9b; DOWNGRADE 1.24.10 W9; VERIFY 1.24.10 W8; RESTORE W11;"
                                + " VERIFY 1.24.10 W8"),
                // W4: a restore on 1.22 can store data wrongly; the downgrade itself is allowed
                Arguments.of("1.23.16", "1.22.5", 3,
                        "BACKUP W3; DOWNGRADE 1.22.5 W9; VERIFY 1.22.5 W8", "refused W4"),
                // never moved (failed at its first hop): nothing to go back from, the backup restores in place
                Arguments.of("1.29.0", "1.29.0", 3, "refused W10", "RESTORE W11; VERIFY 1.29.0 W8"));
    }

    @ParameterizedTest(name = "{0} (was {1}), {2} nodes")
    @MethodSource("table")
    void waysBack(String now, String before, int nodes, String downgrade, String restore) {
        RecoveryPlanner.Recovery recovery = recover(Product.WEAVIATE, now, before, nodes, BACKED_UP);
        assertThat(outcome(option(recovery, Kind.DOWNGRADE))).as("downgrade").isEqualTo(expected(downgrade));
        assertThat(outcome(option(recovery, Kind.RESTORE_BACKUP))).as("restore").isEqualTo(expected(restore));
        assertThat(recovery.backupArtefact()).isNull();
    }

    @Test
    void theRestoreNamesTheBackupAndRunsToItsEndOnceBegun() {
        RecoveryOption restore = option(recover(Product.WEAVIATE, "1.29.11", "1.28.5", 3,
                new RecoveryFacts.Backup(1, "sw-c1-abc-1", "gcs", true, "done")), Kind.RESTORE_BACKUP);
        PlannedStep step = restore.steps().stream().filter(s -> s.kind() == StepKind.RESTORE).findFirst().orElseThrow();
        assertThat(step.params()).containsEntry("backupId", "sw-c1-abc-1").containsEntry("backend", "gcs");
        assertThat(step.segment()).contains("sw-c1-abc-1");
        assertThat(restore.reason()).contains("sw-c1-abc-1", "1.28.5");
        assertThat(restore.steps()).extracting(PlannedStep::seq).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void theVendorsReasonIsGivenWhenAWayBackIsRefused() {
        RecoveryPlanner.Recovery trap = recover(Product.WEAVIATE, "1.28.16", "1.27.20", 3, BACKED_UP);
        assertThat(option(trap, Kind.DOWNGRADE).reason()).contains("RAFT snapshots", "1.27.26");
        assertThat(option(trap, Kind.RESTORE_BACKUP).reason()).contains("only be restored on 1.27.20", "1.27.26");

        RecoveryPlanner.Recovery schemaV1Gone = recover(Product.WEAVIATE, "1.35.23", "1.24.10", 3, BACKED_UP);
        assertThat(option(schemaV1Gone, Kind.DOWNGRADE).rule()).isEqualTo("W9b");
        assertThat(option(schemaV1Gone, Kind.DOWNGRADE).reason()).contains("schema-v1", "1.25–1.34");

        assertThat(option(recover(Product.WEAVIATE, "1.23.16", "1.22.5", 3, BACKED_UP), Kind.RESTORE_BACKUP)
                .reason()).contains("1.23.13");
    }

    @Test
    void aBlockedVersionBeforeTheRolloutIsNoPlaceToRestoreOnto() {
        RecoveryPlanner.Recovery recovery = recover(Product.WEAVIATE, "1.28.16", "1.27.24", 1, BACKED_UP);
        RecoveryOption restore = option(recovery, Kind.RESTORE_BACKUP);
        assertThat(restore.allowed()).isFalse();
        assertThat(restore.rule()).isEqualTo("W1");
        assertThat(restore.reason()).contains("restoration blocked");
        assertThat(option(recovery, Kind.DOWNGRADE).allowed()).isFalse();
    }

    @Test
    void withoutASuccessfulBackupThereIsNothingToRestore() {
        RecoveryOption failed = option(recover(Product.WEAVIATE, "1.29.0", "1.29.0", 3, BACKUP_FAILED),
                Kind.RESTORE_BACKUP);
        assertThat(failed.allowed()).isFalse();
        assertThat(failed.rule()).isEqualTo("W3");
        assertThat(failed.reason()).contains("sw-c1-abc-1", "did not succeed", "bucket full");
        assertThat(option(recover(Product.WEAVIATE, "1.29.11", "1.28.5", 3, null), Kind.RESTORE_BACKUP).reason())
                .contains("took no backup");
    }

    static String outcome(RecoveryOption option) {
        return option.allowed() ? String.join("; ", described(option)) : "refused " + option.rule();
    }

    static String expected(String text) {
        return String.join("; ", steps(text));
    }
}
