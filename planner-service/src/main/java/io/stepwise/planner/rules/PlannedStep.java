package io.stepwise.planner.rules;

import io.stepwise.model.StepKind;
import java.util.Map;

/**
 * One step of a plan, with the rule that put it there ({@code W3}, {@code P3}...) and why, in a sentence.
 * {@code toVersion} is set for hops and {@code VERIFY}, null otherwise.
 */
public record PlannedStep(int seq, StepKind kind, String toVersion, String rule, String reason,
                          Map<String, Object> params) {

    public PlannedStep {
        params = Map.copyOf(params);
    }
}
