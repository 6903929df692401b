package io.stepwise.simulator.weaviate;

import java.util.Locale;

/** How a simulated Weaviate cluster is deployed, which decides how its version can be changed. */
public enum Deployment {
    /** A StatefulSet in the simulated Kubernetes API; the image tag of its container is the version. */
    KUBERNETES,
    /** Plain containers; the version changes through the admin API and Weaviate migrates Raft by itself. */
    DOCKER,
    /** A helm release (backed by a StatefulSet) changed through {@code bin/helm-sim}. */
    COMMAND;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean hasStatefulSet() {
        return this != DOCKER;
    }

    public static Deployment parse(String id) {
        if (id == null || id.isBlank()) {
            return DOCKER;
        }
        for (Deployment d : values()) {
            if (d.id().equalsIgnoreCase(id.trim())) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown deployment '" + id + "'; known: kubernetes, docker, command");
    }
}
