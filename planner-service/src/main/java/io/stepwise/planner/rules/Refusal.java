package io.stepwise.planner.rules;

import io.stepwise.model.RefusalCode;

/** Why a cluster cannot be planned, in a sentence that says what is wrong and what to do instead. */
public record Refusal(String clusterId, RefusalCode code, String message) implements PlanOutcome {
}
