package io.stepwise.planner.service;

import io.stepwise.model.DeploymentKind;
import io.stepwise.model.Product;
import io.stepwise.planner.config.PlannerConfig;
import io.stepwise.planner.domain.Cluster;
import io.stepwise.planner.domain.InvalidInputException;
import io.stepwise.planner.domain.LabelSelector;
import io.stepwise.planner.rules.ClusterFacts;
import io.stepwise.planner.rules.PlanOutcome;
import io.stepwise.planner.rules.TargetVersion;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The dry run: plans inline and selected clusters, changes nothing. */
@ApplicationScoped
public class PreviewService {

    private final PlanningService planning;
    private final InventoryService inventory;
    private final PlannerConfig config;

    public PreviewService(PlanningService planning, InventoryService inventory, PlannerConfig config) {
        this.planning = planning;
        this.inventory = inventory;
        this.config = config;
    }

    /**
     * One outcome per cluster: the registered clusters the selector matches, then the inline ones (which describe a
     * cluster as the caller sees it now, so they win over the inventory's record of the same id).
     */
    public List<PlanOutcome> preview(Product product, TargetVersion target, String selector, List<ClusterFacts> inline) {
        boolean hasInline = inline != null && !inline.isEmpty();
        boolean hasSelector = selector != null && !selector.isBlank();
        if (!hasInline && !hasSelector) {
            throw InvalidInputException.of("clusters", "give inline clusters, a selector over the inventory, or both");
        }
        Map<String, ClusterFacts> clusters = new LinkedHashMap<>();
        if (hasSelector) {
            for (Cluster c : inventory.select(LabelSelector.parse(selector), product)) {
                clusters.put(c.id, facts(c));
            }
        }
        if (hasInline) {
            checkInline(inline);
            inline.forEach(c -> clusters.put(c.id(), c));
        }
        return planning.plan(new ArrayList<>(clusters.values()), product, target, null);
    }

    private void checkInline(List<ClusterFacts> inline) {
        int max = config.api().maxInlineClusters();
        if (inline.size() > max) {
            throw InvalidInputException.of("clusters", inline.size() + " clusters inline; at most " + max
                    + " per preview: split the request or register them and use a selector");
        }
    }

    static ClusterFacts facts(Cluster c) {
        return new ClusterFacts(c.id, Product.fromId(c.product).orElseThrow(), c.version, c.nodes,
                DeploymentKind.fromId(c.deployment).orElse(DeploymentKind.KUBERNETES), c.postgresVersion);
    }
}
