package io.stepwise.planner.rest.problem;

import io.stepwise.planner.rest.problem.Problem.FieldError;
import java.util.ArrayList;
import java.util.List;

/** Collects every problem of a request before answering, so a person fixes them all in one go. */
public final class FieldErrors {

    private final List<FieldError> errors;
    /** Put before every field named through this instance, e.g. {@code clusters[3].}. */
    private final String prefix;

    public FieldErrors() {
        this(new ArrayList<>(), "");
    }

    private FieldErrors(List<FieldError> errors, String prefix) {
        this.errors = errors;
        this.prefix = prefix;
    }

    public FieldErrors add(String field, String message) {
        errors.add(new FieldError(prefix + field, message));
        return this;
    }

    /** The problems of one part of the request, collected with the rest: its fields are named {@code part.field}. */
    public FieldErrors under(String part) {
        return new FieldErrors(errors, prefix + part + ".");
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    /** How many problems were found so far, in the whole request. */
    public int count() {
        return errors.size();
    }

    /** Ends the request with a 400 naming every bad field, if there is any. */
    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest(errors);
        }
    }
}
