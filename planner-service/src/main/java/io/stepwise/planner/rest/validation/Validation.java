package io.stepwise.planner.rest.validation;

import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;

/** Validation of a body the framework could not validate before the call (e.g. one completed from the path). */
public final class Validation {

    private Validation() {
    }

    /** Refuses the object with every violated rule, as {@code @Valid} on a parameter would. */
    public static void check(Validator validator, Object object) {
        var violations = validator.validate(object);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
    }
}
