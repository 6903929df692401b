package io.stepwise.planner.domain;

/** A label selector that cannot be parsed; the message says which part and why. */
public class InvalidSelectorException extends RuntimeException {

    public InvalidSelectorException(String message) {
        super(message);
    }
}
