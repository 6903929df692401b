package io.stepwise.planner.rules;

import static io.stepwise.model.DeploymentKind.DOCKER;
import static io.stepwise.model.DeploymentKind.KUBERNETES;
import static io.stepwise.planner.rules.RuleTables.described;
import static io.stepwise.planner.rules.RuleTables.plan;
import static io.stepwise.planner.rules.RuleTables.steps;
import static org.assertj.core.api.Assertions.assertThat;

import io.stepwise.model.DeploymentKind;
import io.stepwise.model.Product;
import io.stepwise.model.RefusalCode;
import io.stepwise.model.StepKind;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Rules W1–W9, one row per case, with the whole expected step list (kind, version, rule). */
class WeaviateRulesTest {

    static Stream<Arguments> plans() {
        return Stream.of(
                // the headline case: W2, W3, W4, W5, W6, W7, W8 together
                Arguments.of("1.22.5", 3, KUBERNETES, "1.30", steps("""
                        BACKUP W3; UPGRADE 1.23.16 W2; VERIFY 1.23.16 W8; RESTORE W4;
                        UPGRADE 1.24.26 W2; VERIFY 1.24.26 W8;
                        RAFT_MIGRATION 1.25.34 W5; VERIFY 1.25.34 W8; SYNC_CHECK W5; BACKUP W6;
                        SYNC_CHECK W7; UPGRADE 1.26.18 W2; VERIFY 1.26.18 W8;
                        SYNC_CHECK W7; UPGRADE 1.27.27 W2; VERIFY 1.27.27 W8;
                        SYNC_CHECK W7; UPGRADE 1.28.16 W2; VERIFY 1.28.16 W8;
                        SYNC_CHECK W7; UPGRADE 1.29.11 W2; VERIFY 1.29.11 W8;
                        SYNC_CHECK W7; UPGRADE 1.30.23 W2; VERIFY 1.30.23 W8""")),
                // W2: the last hop goes to the exact target, not to the latest patch of its line
                Arguments.of("1.26.3", 3, KUBERNETES, "1.28.5", steps("""
                        BACKUP W3; SYNC_CHECK W7; UPGRADE 1.27.27 W2; VERIFY 1.27.27 W8;
                        SYNC_CHECK W7; UPGRADE 1.28.5 W2; VERIFY 1.28.5 W8""")),
                // W2 below the sync gate, W4 not applicable (path never reaches 1.23)
                Arguments.of("1.20.3", 1, KUBERNETES, "1.22", steps("""
                        BACKUP W3; UPGRADE 1.21.9 W2; VERIFY 1.21.9 W8; UPGRADE 1.22.13 W2; VERIFY 1.22.13 W8""")),
                // W4 from 1.23 below the fix: a hop within the minor first, then the restore
                Arguments.of("1.23.5", 3, KUBERNETES, "1.24", steps("""
                        BACKUP W3; UPGRADE 1.23.16 W4; VERIFY 1.23.16 W8; RESTORE W4;
                        UPGRADE 1.24.26 W2; VERIFY 1.24.26 W8""")),
                // W4 with the target on 1.23 itself (at or after the fix)
                Arguments.of("1.22.0", 3, KUBERNETES, "1.23.13", steps("""
                        BACKUP W3; UPGRADE 1.23.13 W2; VERIFY 1.23.13 W8; RESTORE W4""")),
                // W4 from 1.23.13 or later: no restore
                Arguments.of("1.23.13", 3, KUBERNETES, "1.24", steps("""
                        BACKUP W3; UPGRADE 1.24.26 W2; VERIFY 1.24.26 W8""")),
                // W5 with Docker and a target on 1.25: no second backup (W6 only when going past 1.25)
                Arguments.of("1.24.10", 1, DOCKER, "1.25", steps("""
                        BACKUP W3; RAFT_MIGRATION 1.25.34 W5; VERIFY 1.25.34 W8; SYNC_CHECK W5""")),
                // within 1.25: a plain upgrade, below the sync gate
                Arguments.of("1.25.0", 3, KUBERNETES, "1.25", steps("""
                        BACKUP W3; UPGRADE 1.25.34 W2; VERIFY 1.25.34 W8""")),
                // W7 within a minor at or after 1.26
                Arguments.of("1.30.5", 3, KUBERNETES, "1.30.23", steps("""
                        BACKUP W3; SYNC_CHECK W7; UPGRADE 1.30.23 W2; VERIFY 1.30.23 W8""")),
                // 'latest' is the newest non-blocked version; W2 starts at the minor after C's
                Arguments.of("1.37.5", 3, KUBERNETES, "latest", steps("""
                        BACKUP W3; SYNC_CHECK W7; UPGRADE 1.38.11 W2; VERIFY 1.38.11 W8;
                        SYNC_CHECK W7; UPGRADE 1.39.0 W2; VERIFY 1.39.0 W8""")),
                // latest(m) never picks a blocked patch: 1.27 → 1.27.27 (1.27.23–26 blocked)
                Arguments.of("1.26.18", 3, KUBERNETES, "1.27", steps("""
                        BACKUP W3; SYNC_CHECK W7; UPGRADE 1.27.27 W2; VERIFY 1.27.27 W8""")),
                // W9: downgrade minor by minor; one node, so the 1.27 trap (W9a) does not apply
                Arguments.of("1.30.5", 1, KUBERNETES, "1.27.20", steps("""
                        BACKUP W3; SYNC_CHECK W7; DOWNGRADE 1.29.11 W9; VERIFY 1.29.11 W8;
                        SYNC_CHECK W7; DOWNGRADE 1.28.16 W9; VERIFY 1.28.16 W8;
                        SYNC_CHECK W7; DOWNGRADE 1.27.20 W9; VERIFY 1.27.20 W8""")),
                // W9a threshold: 1.28.12 writes old snapshots, so a 3-node cluster may go to 1.27.20
                Arguments.of("1.28.12", 3, KUBERNETES, "1.27.20", steps("""
                        BACKUP W3; SYNC_CHECK W7; DOWNGRADE 1.27.20 W9; VERIFY 1.27.20 W8""")),
                // W9a: to 1.27.27 (>= 1.27.26) is safe from any version
                Arguments.of("1.30.5", 3, KUBERNETES, "1.27", steps("""
                        BACKUP W3; SYNC_CHECK W7; DOWNGRADE 1.29.11 W9; VERIFY 1.29.11 W8;
                        SYNC_CHECK W7; DOWNGRADE 1.28.16 W9; VERIFY 1.28.16 W8;
                        SYNC_CHECK W7; DOWNGRADE 1.27.27 W9; VERIFY 1.27.27 W8""")),
                // W9b: SCHEMA_DOWNGRADE on 1.25 right before the hop below 1.25
                Arguments.of("1.26.5", 3, KUBERNETES, "1.24.26", steps("""
                        BACKUP W3; DOWNGRADE 1.25.34 W9; VERIFY 1.25.34 W8;
                        SCHEMA_DOWNGRADE W9b; DOWNGRADE 1.24.26 W9; VERIFY 1.24.26 W8""")),
                Arguments.of("1.34.20", 3, KUBERNETES, "1.33", steps("""
                        BACKUP W3; SYNC_CHECK W7; DOWNGRADE 1.33.18 W9; VERIFY 1.33.18 W8""")));
    }

    @ParameterizedTest(name = "{0} ({1} nodes, {2}) → {3}")
    @MethodSource("plans")
    void plansFollowTheRules(String current, int nodes, DeploymentKind deployment, String target,
                             java.util.List<String> expected) {
        PlanOutcome outcome = plan(Product.WEAVIATE, current, nodes, deployment, target);

        assertThat(outcome).isInstanceOf(Plan.class);
        assertThat(described((Plan) outcome)).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                // W9a: the case, naming 1.27.26
                Arguments.of("1.30.5", 3, "1.27.20", RefusalCode.DOWNGRADE_BLOCKED, "1.27.26"),
                Arguments.of("1.28.13", 2, "1.27.25", RefusalCode.BLOCKED_VERSION, "1.27.27"),
                Arguments.of("1.28.13", 2, "1.27.22", RefusalCode.DOWNGRADE_BLOCKED, "1.27.26"),
                Arguments.of("1.31.0", 5, "1.27.0", RefusalCode.DOWNGRADE_BLOCKED, "1.27.26"),
                // W9a also guards a path that passes a snapshot-writing version on the way down
                Arguments.of("1.29.4", 3, "1.27.20", RefusalCode.DOWNGRADE_BLOCKED, "1.28.16"),
                // W9b: schema-v1 no longer exists from 1.35
                Arguments.of("1.35.2", 3, "1.24.26", RefusalCode.DOWNGRADE_BLOCKED, "schema-v1"),
                // W4: a 1.23 target below the restore fix
                Arguments.of("1.22.5", 3, "1.23.10", RefusalCode.BLOCKED_VERSION, "1.23.13"),
                // W1: blocked, unknown, unparseable
                Arguments.of("1.26.0", 3, "1.27.24", RefusalCode.BLOCKED_VERSION, "1.27.27"),
                Arguments.of("1.29.0", 3, "1.30.3", RefusalCode.BLOCKED_VERSION, "restoration"),
                Arguments.of("1.26.0", 3, "1.30.99", RefusalCode.UNKNOWN_VERSION, "1.39.0"),
                Arguments.of("1.26.0", 3, "1.45", RefusalCode.UNKNOWN_VERSION, "1.45"),
                Arguments.of("one.two", 3, "1.30", RefusalCode.INVALID_VERSION, "one.two"),
                // a symbolic target never means "go back": the catalog is behind the cluster
                Arguments.of("1.39.4", 3, "latest", RefusalCode.PRECONDITION_FAILED, "out of date"),
                Arguments.of("1.30.25", 3, "1.30", RefusalCode.PRECONDITION_FAILED, "out of date"),
                // a minor the catalog lacks is never skipped
                Arguments.of("1.18.4", 3, "1.20", RefusalCode.UNKNOWN_VERSION, "1.19"));
    }

    @ParameterizedTest(name = "{0} ({1} nodes) → {2}: {3}")
    @MethodSource("refusals")
    void refusalsSayWhatIsWrong(String current, int nodes, String target, RefusalCode code, String mentions) {
        PlanOutcome outcome = plan(Product.WEAVIATE, current, nodes, KUBERNETES, target);

        assertThat(outcome).isInstanceOfSatisfying(Refusal.class, refusal -> {
            assertThat(refusal.code()).isEqualTo(code);
            assertThat(refusal.message()).contains(mentions);
        });
    }

    @Test
    void sameVersionIsAnEmptyPlanReportedAsAlreadyAtTarget() {
        Plan plan = (Plan) plan(Product.WEAVIATE, "1.30.23", 3, KUBERNETES, "1.30");

        assertThat(plan.steps()).isEmpty();
        assertThat(plan.alreadyAtTarget()).isTrue();
        assertThat(plan.summary()).contains("already at target 1.30.23");
    }

    @Test
    void restoreOfW4RestoresTheFirstBackupAndBackupIdsAreDeterministicAndValid() {
        Plan first = (Plan) plan(Product.WEAVIATE, "1.22.5", 3, KUBERNETES, "1.30");
        Plan again = (Plan) plan(Product.WEAVIATE, "1.22.5", 3, KUBERNETES, "1.30");

        Object firstBackupId = first.steps().get(0).params().get("backupId");
        PlannedStep restore = first.steps().stream().filter(s -> s.kind() == StepKind.RESTORE).findFirst().orElseThrow();
        assertThat(restore.params()).containsEntry("backupId", firstBackupId);
        assertThat(again.steps()).isEqualTo(first.steps());
        assertThat(first.steps()).filteredOn(s -> s.kind() == StepKind.BACKUP)
                .extracting(s -> (String) s.params().get("backupId"))
                .doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(id).matches("^[a-z0-9_-]+$"));
    }

    @Test
    void plansOfDifferentRolloutsNeverShareBackupIds() {
        ClusterFacts cluster = new ClusterFacts("c1", Product.WEAVIATE, "1.29.0", 3, KUBERNETES, null);
        var catalog = io.stepwise.planner.catalog.CatalogFiles.builtIn(Product.WEAVIATE);
        var target = TargetVersion.parse("1.30").orElseThrow();
        Plan a = (Plan) RuleTables.ENGINE.plan(cluster, Product.WEAVIATE, target, catalog, PlanningPolicy.DEFAULT, "r1");
        Plan b = (Plan) RuleTables.ENGINE.plan(cluster, Product.WEAVIATE, target, catalog, PlanningPolicy.DEFAULT, "r2");

        assertThat(a.steps().get(0).params().get("backupId")).isNotEqualTo(b.steps().get(0).params().get("backupId"));
    }

    @Test
    void syncChecksAndVerifiesCarryTheNodeCountAndTheConfiguredTimeout() {
        ClusterFacts cluster = new ClusterFacts("c1", Product.WEAVIATE, "1.29.0", 5, KUBERNETES, null);
        Plan plan = (Plan) RuleTables.ENGINE.plan(cluster, Product.WEAVIATE, TargetVersion.parse("1.30").orElseThrow(),
                io.stepwise.planner.catalog.CatalogFiles.builtIn(Product.WEAVIATE), new PlanningPolicy(120), null);

        assertThat(plan.steps()).filteredOn(s -> s.kind() == StepKind.SYNC_CHECK)
                .allSatisfy(s -> assertThat(s.params()).containsEntry("expectedNodes", 5)
                        .containsEntry("timeoutSeconds", 120));
        assertThat(plan.steps()).allSatisfy(s -> assertThat(s.reason()).isNotBlank());
    }

    @Test
    void downgradeBelowRaftOnKubernetesRecreatesTheStatefulSet() {
        Plan plan = (Plan) plan(Product.WEAVIATE, "1.25.10", 3, KUBERNETES, "1.24.26");

        assertThat(described(plan)).containsExactly("BACKUP W3", "SCHEMA_DOWNGRADE W9b", "DOWNGRADE 1.24.26 W9",
                "VERIFY 1.24.26 W8");
        assertThat(plan.steps().get(2).params()).containsEntry("recreateStatefulSet", true);
    }

    @Test
    void unknownNodeCountOrVersionOrOtherProductIsRefused() {
        assertThat(plan(new ClusterFacts("c1", Product.WEAVIATE, "1.29.0", null, KUBERNETES, null),
                Product.WEAVIATE, "1.30")).isInstanceOfSatisfying(Refusal.class,
                r -> assertThat(r.code()).isEqualTo(RefusalCode.PRECONDITION_FAILED));
        assertThat(plan(new ClusterFacts("c1", Product.WEAVIATE, null, 3, KUBERNETES, null),
                Product.WEAVIATE, "1.30")).isInstanceOfSatisfying(Refusal.class,
                r -> assertThat(r.code()).isEqualTo(RefusalCode.PRECONDITION_FAILED));
        assertThat(plan(new ClusterFacts("c1", Product.PACHYDERM, "2.1.0", 3, KUBERNETES, null),
                Product.WEAVIATE, "1.30")).isInstanceOfSatisfying(Refusal.class,
                r -> assertThat(r.code()).isEqualTo(RefusalCode.PRODUCT_MISMATCH));
    }
}
