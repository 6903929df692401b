package io.stepwise.planner.rest;

import io.stepwise.planner.domain.Cluster;
import java.time.Instant;
import io.stepwise.planner.domain.MaintenanceWindow;
import java.util.List;
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
        Instant updatedAt,
        @Schema(nullable = true, description = "why rollouts leave the cluster alone; null: not held")
        String holdReason,
        @Schema(nullable = true, description = "who put the hold on") String heldBy,
        @Schema(implementation = String.class, format = "date-time", nullable = true) Instant heldAt,
        @Schema(nullable = true) List<MaintenanceWindow> windows) {

    public static ClusterView of(Cluster c) {
        return new ClusterView(c.id, c.product, c.version, c.nodes, c.deployment, c.endpoint, c.namespace,
                c.statefulSet, c.helmRelease, c.credentialsRef, c.postgresVersion, new TreeMap<>(c.labels),
                new TreeMap<>(c.extra), c.createdAt, c.updatedAt,
                c.holdReason, c.heldBy, c.heldAt, c.windows);
    }
}
