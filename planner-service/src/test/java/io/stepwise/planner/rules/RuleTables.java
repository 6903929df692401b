package io.stepwise.planner.rules;

import io.stepwise.model.DeploymentKind;
import io.stepwise.model.Product;
import io.stepwise.planner.catalog.CatalogFiles;
import io.stepwise.planner.rules.pachyderm.PachydermPlanner;
import io.stepwise.planner.rules.weaviate.WeaviatePlanner;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Shared helpers of the rule tables: plan with the built-in catalog, and write steps in one short line each. */
final class RuleTables {

    static final PlanningEngine ENGINE = new PlanningEngine(List.of(new WeaviatePlanner(), new PachydermPlanner()));

    private RuleTables() {
    }

    static PlanOutcome plan(Product product, String current, int nodes, DeploymentKind deployment, String target) {
        return plan(new ClusterFacts("c1", product, current, nodes, deployment, null), product, target);
    }

    static PlanOutcome plan(ClusterFacts cluster, Product product, String target) {
        return ENGINE.plan(cluster, product, TargetVersion.parse(target).orElseThrow(), CatalogFiles.builtIn(product),
                PlanningPolicy.DEFAULT, null);
    }

    /** A step as the tables write it: {@code KIND [toVersion] RULE}, e.g. {@code UPGRADE 1.23.16 W2}. */
    static String describe(PlannedStep step) {
        return step.kind() + (step.toVersion() == null ? "" : " " + step.toVersion()) + " " + step.rule();
    }

    static List<String> described(Plan plan) {
        return plan.steps().stream().map(RuleTables::describe).toList();
    }

    /** Steps written as one string separated by {@code ;}, as in the issue text. */
    static List<String> steps(String text) {
        return Arrays.stream(text.split(";")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toList());
    }
}
