package io.stepwise.planner.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepwise.model.DeploymentKind;
import io.stepwise.model.Product;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The runs of steps a plan marks as segments, which go on to their end once begun: a Raft migration with its
 * VERIFY and SYNC_CHECK (W5), the restore fix's hop, VERIFY and RESTORE (W4), leaving Raft below 1.25 (W9b), and a
 * Pachyderm migration from EXTRACT to its VERIFY (P3). Nothing else is in a segment.
 */
class SegmentsTest {

    @Test
    void weaviatesRestoreFixAndRaftMigrationAreSegments() {
        Plan plan = (Plan) RuleTables.plan(Product.WEAVIATE, "1.22.5", 3, DeploymentKind.KUBERNETES, "1.30");

        Map<String, List<String>> segments = segments(plan);
        assertThat(segments).containsOnlyKeys("restore fix on 1.23.16 (W4)", "Raft migration to 1.25.34 (W5)");
        assertThat(segments.get("restore fix on 1.23.16 (W4)")).containsExactly("UPGRADE 1.23.16 W2", "VERIFY 1.23.16 W8",
                "RESTORE W4");
        assertThat(segments.get("Raft migration to 1.25.34 (W5)")).containsExactly("RAFT_MIGRATION 1.25.34 W5",
                "VERIFY 1.25.34 W8", "SYNC_CHECK W5");
    }

    @Test
    void leavingRaftBelow125IsASegment() {
        Plan plan = (Plan) RuleTables.plan(Product.WEAVIATE, "1.25.34", 1, DeploymentKind.KUBERNETES, "1.24");

        assertThat(segments(plan)).containsExactly(Map.entry("leaving Raft for 1.24.26 (W9b)",
                List.of("SCHEMA_DOWNGRADE W9b", "DOWNGRADE 1.24.26 W9", "VERIFY 1.24.26 W8")));
    }

    @Test
    void aPachydermMigrationRunsFromExtractToItsVerify() {
        Plan plan = (Plan) RuleTables.plan(Product.PACHYDERM, "1.9.12", 1, DeploymentKind.KUBERNETES, "1.10");

        Map<String, List<String>> segments = segments(plan);
        assertThat(segments).hasSize(1);
        assertThat(segments.values().iterator().next()).extracting(s -> s.split(" ")[0])
                .containsExactly("EXTRACT", "UNDEPLOY", "DEPLOY", "RESTORE", "VERIFY");
    }

    @Test
    void ordinaryHopsAreNoSegment() {
        Plan plan = (Plan) RuleTables.plan(Product.WEAVIATE, "1.28.12", 3, DeploymentKind.KUBERNETES, "1.30");

        assertThat(plan.steps()).allMatch(s -> s.segment() == null);
    }

    private static Map<String, List<String>> segments(Plan plan) {
        Map<String, List<String>> segments = new LinkedHashMap<>();
        for (PlannedStep step : plan.steps()) {
            if (step.segment() != null) {
                segments.computeIfAbsent(step.segment(), k -> new java.util.ArrayList<>()).add(RuleTables.describe(step));
            }
        }
        return segments;
    }
}
