package io.stepwise.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The data systems Stepwise knows how to upgrade. Written in JSON in lower case: {@code "weaviate"}. */
public enum Product {
    WEAVIATE,
    PACHYDERM;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The product with this id (case-insensitive), or empty when there is none. */
    public static Optional<Product> fromId(String id) {
        if (id == null) {
            return Optional.empty();
        }
        return Arrays.stream(values()).filter(p -> p.id().equalsIgnoreCase(id.trim())).findFirst();
    }

    @JsonCreator
    static Product fromJson(String id) {
        return fromId(id).orElseThrow(() -> new IllegalArgumentException(
                "unknown product '" + id + "'; known products: " + Arrays.toString(ids())));
    }

    public static String[] ids() {
        return Arrays.stream(values()).map(Product::id).toArray(String[]::new);
    }
}
