package io.stepwise.planner.rules;

import io.stepwise.model.Product;
import io.stepwise.planner.catalog.VersionCatalog;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Says how a failed cluster can get back to the version it ran before its rollout: the product's recovery rules,
 * given what the ordinary rules say of going back there. Pure, like the {@link PlanningEngine} it asks.
 */
public final class RecoveryPlanner {

    /** The ways back, and where the pre-upgrade backup's data lies when the product says (else null). */
    public record Recovery(List<RecoveryOption> options, String backupArtefact) {
    }

    private final PlanningEngine engine;
    private final Map<Product, ProductRecovery> products = new EnumMap<>(Product.class);

    public RecoveryPlanner(PlanningEngine engine, List<ProductRecovery> productRecoveries) {
        this.engine = engine;
        productRecoveries.forEach(r -> products.put(r.product(), r));
    }

    /**
     * @param planSalt as for {@link PlanningEngine#plan}: null for a preview, whose backup ids depend on the plan
     *                 alone; a rollout's id when the plan is started
     */
    public Recovery recover(RecoveryFacts facts, Product product, VersionCatalog catalog, PlanningPolicy policy,
                            String planSalt) {
        ProductRecovery rules = products.get(product);
        if (rules == null) {
            return new Recovery(List.of(), null);
        }
        TargetVersion before = TargetVersion.parse(facts.versionBefore()).orElseThrow(() ->
                new IllegalArgumentException("not a version: " + facts.versionBefore()));
        PlanOutcome backToBefore = engine.plan(facts.cluster(), product, before, catalog, policy, planSalt);
        String planKey = String.join(":", "recovery", product.id(), facts.cluster().id(),
                String.valueOf(facts.cluster().version()), facts.versionBefore(), planSalt == null ? "" : planSalt);
        List<RecoveryOption> options = rules.options(facts, backToBefore, catalog,
                new PlanBuilder(facts.cluster().id(), planKey));
        String artefact = facts.backup() == null ? null : rules.backupArtefact(facts.cluster().id(), facts.backup());
        return new Recovery(options, artefact);
    }
}
