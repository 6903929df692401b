package io.stepwise.planner.catalog;

import java.util.List;

/** A catalog document that cannot be used, with every problem found (field path and what is wrong). */
public class InvalidCatalogException extends RuntimeException {

    private final List<String> errors;

    public InvalidCatalogException(List<String> errors) {
        super("invalid version catalog: " + String.join("; ", errors));
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
        return errors;
    }
}
