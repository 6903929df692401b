package io.stepwise.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How a cluster is deployed, which decides how the executor changes its version: through the
 * Kubernetes API, through Docker (where Weaviate migrates Raft metadata by itself), or through an
 * operator-supplied command template (helm and the like).
 */
public enum DeploymentKind {
    KUBERNETES,
    DOCKER,
    COMMAND;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<DeploymentKind> fromId(String id) {
        if (id == null) {
            return Optional.empty();
        }
        return Arrays.stream(values()).filter(d -> d.id().equalsIgnoreCase(id.trim())).findFirst();
    }

    @JsonCreator
    static DeploymentKind fromJson(String id) {
        return fromId(id).orElseThrow(() -> new IllegalArgumentException(
                "unknown deployment '" + id + "'; known: kubernetes, docker, command"));
    }
}
