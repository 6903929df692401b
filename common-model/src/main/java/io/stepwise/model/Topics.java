package io.stepwise.model;

/** Kafka topic names of the public event contract (docs/asyncapi.yaml). Every record is keyed by cluster id. */
public final class Topics {
    /** Planner → executor: {@link StepRequested}. */
    public static final String STEPS = "stepwise.steps";
    /** Executor → planner and subscribers: {@link StepStatus}. */
    public static final String STEP_STATUS = "stepwise.step-status";
    /** Planner → subscribers: rollout and cluster lifecycle events. */
    public static final String ROLLOUTS = "stepwise.rollouts";

    private Topics() {
    }
}
