package io.stepwise.planner.rules;

/**
 * Operator settings that shape plans without changing the rules.
 *
 * @param syncCheckTimeoutSeconds how long a SYNC_CHECK may wait for the cluster to synchronize (vendor default 300 s)
 */
public record PlanningPolicy(int syncCheckTimeoutSeconds) {

    public static final PlanningPolicy DEFAULT = new PlanningPolicy(300);
}
