package io.stepwise.model;

/**
 * Data of {@code io.stepwise.step.cancel-requested} on {@link Topics#STEPS} (keyed by cluster id, so it follows the
 * step's request): the planner asks the executor to stop one attempt of a step at its next safe poll. The executor
 * answers with a {@link StepStatus} FAILED with {@link StepStatus#CANCELLED}, or nothing if the attempt had ended.
 */
public record StepCancel(String stepId, String rolloutId, String clusterId, int seq, int attempt, String reason) {

    public static final String TYPE = "io.stepwise.step.cancel-requested";
}
