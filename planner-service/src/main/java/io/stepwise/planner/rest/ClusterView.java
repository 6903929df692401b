package io.stepwise.planner.rest;

import io.stepwise.planner.domain.Cluster;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** A registered cluster as the API shows it. */
public record ClusterView(
        String id,
        String product,
        String version,
        Integer nodes,
        String deployment,
        String endpoint,
        String namespace,
        String statefulSet,
        String helmRelease,
        String credentialsRef,
        String postgresVersion,
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
