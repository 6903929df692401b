package io.stepwise.planner.rest;

import io.stepwise.planner.domain.Cluster;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A registered cluster as the API shows it. */
public record ClusterView(
        String id,
        String product,
        @Schema(nullable = true) String version,
        @Schema(nullable = true) Integer nodes,
        String deployment,
        @Schema(nullable = true) String endpoint,
        @Schema(nullable = true) String namespace,
        @Schema(nullable = true) String statefulSet,
        @Schema(nullable = true) String helmRelease,
        @Schema(nullable = true) String credentialsRef,
        @Schema(nullable = true) String postgresVersion,
        Map<String, String> labels,
        Map<String, String> extra,
        Instant createdAt,
        Instant updatedAt) {

    public static ClusterView of(Cluster c) {
        return new ClusterView(c.id, c.product, c.version, c.nodes, c.deployment, c.endpoint, c.namespace,
                c.statefulSet, c.helmRelease, c.credentialsRef, c.postgresVersion, new TreeMap<>(c.labels),
                new TreeMap<>(c.extra), c.createdAt, c.updatedAt);
    }
}
