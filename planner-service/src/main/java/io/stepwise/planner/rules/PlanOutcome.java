package io.stepwise.planner.rules;

/** What planning one cluster gives: a {@link Plan} or a {@link Refusal}. */
public sealed interface PlanOutcome permits Plan, Refusal {

    String clusterId();
}
