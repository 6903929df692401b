package io.stepwise.planner.service;

import io.stepwise.model.Product;
import io.stepwise.planner.domain.InvalidInputException;

/** Reads a product named in a request, refusing unknown ones with a message that lists the known. */
public final class ProductNames {

    private ProductNames() {
    }

    public static Product require(String field, String name) {
        if (name == null || name.isBlank()) {
            throw InvalidInputException.of(field, "required; one of " + String.join(", ", Product.ids()));
        }
        return Product.fromId(name).orElseThrow(() -> InvalidInputException.of(field,
                "unknown product '" + name + "'; known products: " + String.join(", ", Product.ids())));
    }
}
