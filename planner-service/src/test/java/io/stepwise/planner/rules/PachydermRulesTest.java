package io.stepwise.planner.rules;

import static io.stepwise.model.DeploymentKind.KUBERNETES;
import static io.stepwise.planner.rules.RuleTables.described;
import static io.stepwise.planner.rules.RuleTables.plan;
import static io.stepwise.planner.rules.RuleTables.steps;
import static org.assertj.core.api.Assertions.assertThat;

import io.stepwise.model.Product;
import io.stepwise.model.RefusalCode;
import io.stepwise.model.StepKind;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Rules P1–P6, one row per case, with the whole expected step list (kind, version, rule). */
class PachydermRulesTest {

    static Stream<Arguments> plans() {
        return Stream.of(
                // the case: point upgrade first, then two migrations, the 1.7 → 1.8 one with objects
                Arguments.of("1.7.10", null, "1.9.0", steps("""
                        BACKUP P1; UPGRADE 1.7.14 P3; VERIFY 1.7.14 P3;
                        BACKUP P3; EXTRACT P3; UNDEPLOY P3; DEPLOY 1.8.8 P3; RESTORE P3; VERIFY 1.8.8 P3;
                        BACKUP P3; EXTRACT P3; UNDEPLOY P3; DEPLOY 1.9.0 P3; RESTORE P3; VERIFY 1.9.0 P3""")),
                // already on the latest patch: the P1 backup serves the first migration
                Arguments.of("1.8.8", null, "1.9.0", steps("""
                        BACKUP P1; EXTRACT P3; UNDEPLOY P3; DEPLOY 1.9.0 P3; RESTORE P3; VERIFY 1.9.0 P3""")),
                // P2 point upgrade
                Arguments.of("1.9.3", null, "1.9", steps("BACKUP P1; UPGRADE 1.9.12 P2; VERIFY 1.9.12 P2")),
                // the 1.6.10 bridge release, then a metadata-only migration
                Arguments.of("1.6.3", null, "1.7", steps("""
                        BACKUP P1; UPGRADE 1.6.10 P3; VERIFY 1.6.10 P3;
                        BACKUP P3; EXTRACT P3; UNDEPLOY P3; DEPLOY 1.7.14 P3; RESTORE P3; VERIFY 1.7.14 P3""")),
                // 1.10 → 1.11 is still a migration (P3), 1.11 → 1.12 an upgrade (P4)
                Arguments.of("1.10.5", null, "1.12", steps("""
                        BACKUP P1; EXTRACT P3; UNDEPLOY P3; DEPLOY 1.11.9 P3; RESTORE P3; VERIFY 1.11.9 P3;
                        UPGRADE 1.12.5 P4; VERIFY 1.12.5 P4""")),
                // P4
                Arguments.of("1.11.2", null, "1.13.4", steps("""
                        BACKUP P1; UPGRADE 1.12.5 P4; VERIFY 1.12.5 P4; UPGRADE 1.13.4 P4; VERIFY 1.13.4 P4""")),
                // P6, one minor at a time, exact target at the end
                Arguments.of("2.5.3", null, "2.8.2", steps("""
                        BACKUP P1; UPGRADE 2.6.11 P6; VERIFY 2.6.11 P6; UPGRADE 2.7.8 P6; VERIFY 2.7.8 P6;
                        UPGRADE 2.8.2 P6; VERIFY 2.8.2 P6""")),
                // P6 into 2.10 with Postgres 15 known
                Arguments.of("2.9.3", "15.4", "2.10", steps("BACKUP P1; UPGRADE 2.10.7 P6; VERIFY 2.10.7 P6")),
                // P6 into 2.10 with Postgres unknown: a person confirms it first
                Arguments.of("2.9.3", null, "latest", steps("""
                        BACKUP P1; MANUAL_APPROVAL P6; UPGRADE 2.10.7 P6; VERIFY 2.10.7 P6;
                        UPGRADE 2.11.6 P6; VERIFY 2.11.6 P6""")),
                // already on 2.10+: Postgres must already be 15+
                Arguments.of("2.10.1", null, "2.11", steps("BACKUP P1; UPGRADE 2.11.6 P6; VERIFY 2.11.6 P6")));
    }

    @ParameterizedTest(name = "{0} (postgres {1}) → {2}")
    @MethodSource("plans")
    void plansFollowTheRules(String current, String postgres, String target, List<String> expected) {
        PlanOutcome outcome = plan(new ClusterFacts("p1", Product.PACHYDERM, current, 1, KUBERNETES, postgres),
                Product.PACHYDERM, target);

        assertThat(outcome).isInstanceOf(Plan.class);
        assertThat(described((Plan) outcome)).containsExactlyElementsOf(expected);
    }

    @Test
    void extractsCarryObjectsOnlyFrom17To18AndRestoresReadWhatTheExtractWrote() {
        Plan plan = (Plan) plan(new ClusterFacts("p1", Product.PACHYDERM, "1.7.10", 1, KUBERNETES, null),
                Product.PACHYDERM, "1.9.0");

        List<PlannedStep> extracts = plan.steps().stream().filter(s -> s.kind() == StepKind.EXTRACT).toList();
        List<PlannedStep> restores = plan.steps().stream().filter(s -> s.kind() == StepKind.RESTORE).toList();
        assertThat(extracts).extracting(s -> s.params().get("noObjects")).containsExactly(false, true);
        assertThat(restores).extracting(s -> s.params().get("backupId"))
                .containsExactlyElementsOf(extracts.stream().map(s -> s.params().get("backupId")).toList());
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("1.13.4", null, "2.0.8", RefusalCode.UNSUPPORTED_PATH, "re-ingest"),
                Arguments.of("1.9.0", null, "2.11", RefusalCode.UNSUPPORTED_PATH, "re-ingest"),
                Arguments.of("2.9.3", "14.9", "2.10", RefusalCode.PRECONDITION_FAILED, "Postgres 15"),
                Arguments.of("2.8.1", null, "2.7.0", RefusalCode.UNSUPPORTED_PATH, "downgrade"),
                Arguments.of("2.11.0", null, "2.12.0", RefusalCode.UNKNOWN_VERSION, "2.12.0"),
                Arguments.of("1.5.2", null, "1.6", RefusalCode.UNKNOWN_VERSION, "1.5"));
    }

    @ParameterizedTest(name = "{0} (postgres {1}) → {2}: {3}")
    @MethodSource("refusals")
    void refusalsSayWhatIsWrong(String current, String postgres, String target, RefusalCode code, String mentions) {
        PlanOutcome outcome = plan(new ClusterFacts("p1", Product.PACHYDERM, current, 1, KUBERNETES, postgres),
                Product.PACHYDERM, target);

        assertThat(outcome).isInstanceOfSatisfying(Refusal.class, refusal -> {
            assertThat(refusal.code()).isEqualTo(code);
            assertThat(refusal.message()).contains(mentions);
        });
    }
}
