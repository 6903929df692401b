package io.stepwise.planner.service;

import io.stepwise.model.DeploymentKind;
import io.stepwise.model.Product;
import io.stepwise.planner.config.PlannerConfig;
import io.stepwise.planner.domain.Cluster;
import io.stepwise.planner.domain.LabelSelector;
import io.stepwise.planner.rest.PreviewRequest;
import io.stepwise.planner.rest.PreviewRequest.InlineCluster;
import io.stepwise.planner.rest.PreviewResponse;
import io.stepwise.planner.rest.PreviewResponse.PlanView;
import io.stepwise.planner.rest.PreviewResponse.RefusalView;
import io.stepwise.planner.rest.problem.FieldErrors;
import io.stepwise.planner.rest.problem.ProblemException;
import io.stepwise.planner.rules.ClusterFacts;
import io.stepwise.planner.rules.Plan;
import io.stepwise.planner.rules.PlanOutcome;
import io.stepwise.planner.rules.Refusal;
import io.stepwise.planner.rules.TargetVersion;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    /** @param withSteps false for the summary view: path and step count, without the steps themselves */
    public PreviewResponse preview(PreviewRequest request, boolean withSteps) {
        if (request == null) {
            throw ProblemException.badRequest("body", "a preview request is required");
        }
        Product product = ProductNames.require("product", request.product());
        TargetVersion target = PlanningService.requireTarget("targetVersion", request.targetVersion());
        boolean hasInline = request.clusters() != null && !request.clusters().isEmpty();
        boolean hasSelector = request.selector() != null && !request.selector().isBlank();
        if (!hasInline && !hasSelector) {
            throw ProblemException.badRequest("clusters", "give inline clusters, a selector over the inventory,"
                    + " or both");
        }
        Map<String, ClusterFacts> clusters = new LinkedHashMap<>();
        if (hasSelector) {
            for (Cluster c : inventory.select(LabelSelector.parse(request.selector()), product)) {
                clusters.put(c.id, facts(c));
            }
        }
        if (hasInline) {
            // Inline clusters describe the cluster as the caller sees it now, so they win over the inventory.
            inline(request.clusters(), product).forEach(c -> clusters.put(c.id(), c));
        }
        List<PlanView> plans = new ArrayList<>();
        List<RefusalView> refusals = new ArrayList<>();
        for (PlanOutcome outcome : planning.plan(List.copyOf(clusters.values()), product, target, null)) {
            if (outcome instanceof Plan plan) {
                plans.add(PlanView.of(plan, withSteps));
            } else {
                refusals.add(RefusalView.of((Refusal) outcome));
            }
        }
        return new PreviewResponse(plans, refusals);
    }

    private List<ClusterFacts> inline(List<InlineCluster> given, Product product) {
        FieldErrors errors = new FieldErrors();
        int max = config.api().maxInlineClusters();
        if (given.size() > max) {
            throw ProblemException.badRequest("clusters", given.size() + " clusters inline; at most " + max
                    + " per preview: split the request or register them and use a selector");
        }
        List<ClusterFacts> facts = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < given.size(); i++) {
            InlineCluster c = given.get(i);
            String at = "clusters[" + i + "]";
            if (c == null) {
                errors.add(at, "must be an object");
                continue;
            }
            if (c.id() == null || !InventoryService.CLUSTER_ID.matcher(c.id()).matches()) {
                errors.add(at + ".id", c.id() == null ? "required" : "'" + c.id() + "' must be 1–63 lower-case"
                        + " letters, digits or '-'");
            } else if (!ids.add(c.id())) {
                errors.add(at + ".id", "'" + c.id() + "' appears more than once");
            }
            Product own = null;
            if (c.product() != null) {
                own = Product.fromId(c.product()).orElse(null);
                if (own == null) {
                    errors.add(at + ".product", "unknown product '" + c.product() + "'; known products: "
                            + String.join(", ", Product.ids()));
                }
            }
            if (c.nodes() != null && c.nodes() < 1) {
                errors.add(at + ".nodes", "must be 1 or more");
            }
            DeploymentKind deployment = DeploymentKind.KUBERNETES;
            if (c.deployment() != null) {
                deployment = DeploymentKind.fromId(c.deployment()).orElse(null);
                if (deployment == null) {
                    errors.add(at + ".deployment", "unknown deployment '" + c.deployment()
                            + "'; one of kubernetes, docker, command");
                }
            }
            facts.add(new ClusterFacts(c.id(), own == null ? product : own, c.version(), c.nodes(), deployment,
                    c.postgresVersion()));
        }
        errors.throwIfAny();
        return facts;
    }

    static ClusterFacts facts(Cluster c) {
        return new ClusterFacts(c.id, Product.fromId(c.product).orElseThrow(), c.version, c.nodes,
                DeploymentKind.fromId(c.deployment).orElse(DeploymentKind.KUBERNETES), c.postgresVersion);
    }
}
