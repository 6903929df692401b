package io.stepwise.model;

import java.time.Instant;

/**
 * Data of the {@code io.stepwise.step.*} events on {@link Topics#STEP_STATUS}: what the executor saw
 * while running a step. {@code message} is for people (progress such as "node 2 of 3 at 1.30.23", or
 * the reason of a failure).
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
        Instant at) {

    public static final String TYPE_STARTED = "io.stepwise.step.started";
    public static final String TYPE_PROGRESS = "io.stepwise.step.progress";
    public static final String TYPE_SUCCEEDED = "io.stepwise.step.succeeded";
    public static final String TYPE_FAILED = "io.stepwise.step.failed";

    /** The CloudEvents type that carries a status in this state (progress for a running step that already started). */
    public String eventType(boolean progress) {
        return switch (state) {
            case SUCCEEDED -> TYPE_SUCCEEDED;
            case FAILED -> TYPE_FAILED;
            default -> progress ? TYPE_PROGRESS : TYPE_STARTED;
        };
    }
}
