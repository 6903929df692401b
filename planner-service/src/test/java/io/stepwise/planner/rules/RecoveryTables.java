package io.stepwise.planner.rules;

import io.stepwise.model.DeploymentKind;
import io.stepwise.model.Product;
import io.stepwise.planner.catalog.CatalogFiles;
import io.stepwise.planner.rules.RecoveryOption.Kind;
import io.stepwise.planner.rules.pachyderm.PachydermRecovery;
import io.stepwise.planner.rules.weaviate.WeaviateRecovery;
import java.util.List;

/** Shared helpers of the recovery tables: recover with the built-in catalog, pick an option. */
final class RecoveryTables {

    static final RecoveryPlanner PLANNER = new RecoveryPlanner(RuleTables.ENGINE,
            List.of(new WeaviateRecovery(), new PachydermRecovery()));
    static final RecoveryFacts.Backup BACKED_UP = new RecoveryFacts.Backup(1, "sw-c1-abc-1", null, true, "done");
    static final RecoveryFacts.Backup BACKUP_FAILED = new RecoveryFacts.Backup(1, "sw-c1-abc-1", null, false,
            "bucket full");

    private RecoveryTables() {
    }

    /** The options of cluster c1 of the product, verified at {@code now}, that ran {@code before} the rollout. */
    static RecoveryPlanner.Recovery recover(Product product, String now, String before, int nodes,
                                            RecoveryFacts.Backup backup) {
        ClusterFacts cluster = new ClusterFacts("c1", product, now, nodes, DeploymentKind.KUBERNETES, null);
        return PLANNER.recover(new RecoveryFacts(cluster, before, backup), product, CatalogFiles.builtIn(product),
                PlanningPolicy.DEFAULT, null);
    }

    static RecoveryOption option(RecoveryPlanner.Recovery recovery, Kind kind) {
        return recovery.options().stream().filter(o -> o.kind() == kind).findFirst().orElseThrow();
    }

    static List<String> described(RecoveryOption option) {
        return option.steps().stream().map(RuleTables::describe).toList();
    }
}
