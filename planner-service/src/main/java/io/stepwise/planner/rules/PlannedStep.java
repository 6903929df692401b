package io.stepwise.planner.rules;

import io.stepwise.model.StepKind;
import java.util.Map;

/**
 * One step of a plan, with the rule that put it there ({@code W3}, {@code P3}...) and why, in a sentence.
 * {@code toVersion} is set for hops and {@code VERIFY}, null otherwise. {@code segment} names the run of steps this
 * one belongs to that must go on to its end once begun (a migration): pause and cancel wait for its end.
 */
public record PlannedStep(int seq, StepKind kind, String toVersion, String rule, String reason,
                          Map<String, Object> params, String segment) {

    public PlannedStep {
        params = Map.copyOf(params);
    }
}
