package io.stepwise.executor.handler;

import io.stepwise.model.StepState;

/**
 * How a step ended. {@code message} is for people: what was done, or what went wrong and what was
 * seen. {@code observedVersion} is the version the cluster reported at the end, when known. {@code errorCode}, on
 * some failures, is for programs ({@link io.stepwise.model.StepStatus#PRECONDITION_FAILED},
 * {@link io.stepwise.model.StepStatus#CANCELLED}).
 */
public record StepOutcome(StepState state, String observedVersion, String message, String errorCode) {

    public StepOutcome {
        if (state != StepState.SUCCEEDED && state != StepState.FAILED) {
            throw new IllegalArgumentException("an outcome is SUCCEEDED or FAILED, not " + state);
        }
    }

    public StepOutcome(StepState state, String observedVersion, String message) {
        this(state, observedVersion, message, null);
    }

    public static StepOutcome succeeded(String message) {
        return new StepOutcome(StepState.SUCCEEDED, null, message);
    }

    public static StepOutcome succeeded(String message, String observedVersion) {
        return new StepOutcome(StepState.SUCCEEDED, observedVersion, message);
    }

    public static StepOutcome failed(String message) {
        return new StepOutcome(StepState.FAILED, null, message);
    }

    public static StepOutcome failed(String message, String observedVersion) {
        return new StepOutcome(StepState.FAILED, observedVersion, message);
    }

    /** A failure a program can act on: {@code errorCode} says what kind. */
    public static StepOutcome failed(String message, String observedVersion, String errorCode) {
        return new StepOutcome(StepState.FAILED, observedVersion, message, errorCode);
    }

    public boolean succeeded() {
        return state == StepState.SUCCEEDED;
    }
}
