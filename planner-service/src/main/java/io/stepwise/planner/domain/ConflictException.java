package io.stepwise.planner.domain;

/** The request is well formed but clashes with what exists now (an id already taken, a state that forbids it). */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message, null, false, false);
    }
}
