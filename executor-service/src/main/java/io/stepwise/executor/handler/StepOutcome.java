package io.stepwise.executor.handler;

import io.stepwise.model.StepState;

/**
 * How a step ended. {@code message} is for people: what was done, or what went wrong and what was
 * seen. {@code observedVersion} is the version the cluster reported at the end, when known.
 */
public record StepOutcome(StepState state, String observedVersion, String message) {

    public StepOutcome {
        if (state != StepState.SUCCEEDED && state != StepState.FAILED) {
            throw new IllegalArgumentException("an outcome is SUCCEEDED or FAILED, not " + state);
        }
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

    public boolean succeeded() {
        return state == StepState.SUCCEEDED;
    }
}
