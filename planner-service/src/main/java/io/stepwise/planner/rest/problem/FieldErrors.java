package io.stepwise.planner.rest.problem;

import io.stepwise.planner.rest.problem.Problem.FieldError;
import java.util.ArrayList;
import java.util.List;

/** Collects every problem of a request before answering, so a person fixes them all in one go. */
public final class FieldErrors {

    private final List<FieldError> errors = new ArrayList<>();

    public FieldErrors add(String field, String message) {
        errors.add(new FieldError(field, message));
        return this;
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    /** Ends the request with a 400 naming every bad field, if there is any. */
    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest(errors);
        }
    }
}
