package io.stepwise.planner.service;

import io.stepwise.model.Product;
import io.stepwise.planner.config.PlannerConfig;
import io.stepwise.planner.rules.ClusterFacts;
import io.stepwise.planner.rules.PlanOutcome;
import io.stepwise.planner.rules.PlanningEngine;
import io.stepwise.planner.rules.PlanningPolicy;
import io.stepwise.planner.rules.RecoveryFacts;
import io.stepwise.planner.rules.RecoveryPlanner;
import io.stepwise.planner.rules.TargetVersion;
import io.stepwise.planner.rules.pachyderm.PachydermRecovery;
import io.stepwise.planner.rules.weaviate.WeaviateRecovery;
import io.stepwise.planner.rules.pachyderm.PachydermPlanner;
import io.stepwise.planner.rules.weaviate.WeaviatePlanner;
import io.stepwise.planner.domain.InvalidInputException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Plans many clusters against the catalog in force, with the operator's planning policy. */
@ApplicationScoped
public class PlanningService {

    private final PlanningEngine engine = new PlanningEngine(List.of(new WeaviatePlanner(), new PachydermPlanner()));
    private final RecoveryPlanner recovery = new RecoveryPlanner(engine, List.of(new WeaviateRecovery(),
            new PachydermRecovery()));
    private final CatalogService catalogs;
    private final PlanningPolicy policy;

    public PlanningService(CatalogService catalogs, PlannerConfig config) {
        this.catalogs = catalogs;
        this.policy = new PlanningPolicy((int) config.planning().syncCheckTimeout().toSeconds());
    }

    /** Reads a target as the API accepts it, or answers 400 naming the field. */
    public static TargetVersion requireTarget(String field, String text) {
        if (text == null || text.isBlank()) {
            throw InvalidInputException.of(field, "required: " + TargetVersion.FORMS);
        }
        return TargetVersion.parse(text).orElseThrow(() -> InvalidInputException.of(field,
                "'" + text + "' is not a version: use " + TargetVersion.FORMS));
    }

    /**
     * One outcome per cluster, in the given order.
     *
     * @param planSalt makes backup ids unique to one rollout; null for previews
     */
    public List<PlanOutcome> plan(List<ClusterFacts> clusters, Product product, TargetVersion target, String planSalt) {
        var catalog = catalogs.catalog(product);
        return clusters.stream().map(c -> engine.plan(c, product, target, catalog, policy, planSalt)).toList();
    }

    /** The ways a failed cluster can get back to the version before its rollout; {@code planSalt} as above. */
    public RecoveryPlanner.Recovery recover(RecoveryFacts facts, Product product, String planSalt) {
        return recovery.recover(facts, product, catalogs.catalog(product), policy, planSalt);
    }
}
