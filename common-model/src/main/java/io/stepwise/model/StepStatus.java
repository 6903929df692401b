package io.stepwise.model;

import java.time.Instant;

/**
 * Data of the {@code io.stepwise.step.*} events on {@link Topics#STEP_STATUS}: what the executor saw
 * while running a step. {@code message} is for people (progress such as "node 2 of 3 at 1.30.23", or
 * the reason of a failure); {@code errorCode}, on some failures, is for programs ({@link #PRECONDITION_FAILED},
 * {@link #CANCELLED}). A running step reports at least every heartbeat interval, with or without news.
 */
public record StepStatus(
        String stepId,
        String rolloutId,
        String clusterId,
        int seq,
        int attempt,
        StepState state,
        String observedVersion,
        String message,
        Instant at,
        String errorCode) {

    /** The cluster was not what the step expected (its pre-flight check failed); nothing was changed. */
    public static final String PRECONDITION_FAILED = "PRECONDITION_FAILED";
    /** The attempt was stopped because the planner asked ({@link StepCancel}). */
    public static final String CANCELLED = "CANCELLED";

    public static final String TYPE_STARTED = "io.stepwise.step.started";
    public static final String TYPE_PROGRESS = "io.stepwise.step.progress";
    public static final String TYPE_SUCCEEDED = "io.stepwise.step.succeeded";
    public static final String TYPE_FAILED = "io.stepwise.step.failed";

    public StepStatus(String stepId, String rolloutId, String clusterId, int seq, int attempt, StepState state,
                      String observedVersion, String message, Instant at) {
        this(stepId, rolloutId, clusterId, seq, attempt, state, observedVersion, message, at, null);
    }

    /** The CloudEvents type that carries a status in this state (progress for a running step that already started). */
    public String eventType(boolean progress) {
        return switch (state) {
            case SUCCEEDED -> TYPE_SUCCEEDED;
            case FAILED -> TYPE_FAILED;
            default -> progress ? TYPE_PROGRESS : TYPE_STARTED;
        };
    }
}
