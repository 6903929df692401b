package io.stepwise.planner.domain;

/** A person asked to approve a step of a rollout they started, which the four-eyes rule forbids. */
public class FourEyesException extends RuntimeException {

    public FourEyesException(String message) {
        super(message, null, false, false);
    }
}
