package io.stepwise.planner.rules;

import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import java.util.List;

/** The ordered, vendor-correct steps that move one cluster from {@code fromVersion} to {@code toVersion}. */
public record Plan(String clusterId, Product product, String fromVersion, String toVersion, List<PlannedStep> steps)
        implements PlanOutcome {

    public Plan {
        steps = List.copyOf(steps);
    }

    /** C = T: nothing to do (W1). */
    public boolean alreadyAtTarget() {
        return steps.isEmpty();
    }

    /** The versions the hops visit, in order. */
    public List<String> path() {
        return steps.stream().filter(s -> s.kind().isHop()).map(PlannedStep::toVersion).toList();
    }

    /** One line for people: what the plan does. */
    public String summary() {
        if (alreadyAtTarget()) {
            return "already at target " + toVersion + ": nothing to do";
        }
        long hops = steps.stream().map(PlannedStep::kind).filter(StepKind::isHop).count();
        return fromVersion + " → " + toVersion + " in " + hops + (hops == 1 ? " hop" : " hops")
                + " via " + String.join(", ", path()) + " (" + steps.size() + " steps)";
    }
}
