package io.stepwise.planner.rest;

import java.util.Map;

/**
 * Body of {@code POST /api/v1/clusters} and {@code PUT /api/v1/clusters/{id}}. Only {@code id} and {@code product} are required. Connection details
 * say how the executor reaches the cluster; {@code credentialsRef} names where the API key lives (e.g.
 * {@code env:WEAVIATE_PROD_KEY}), never the key itself; {@code extra} holds further settings the executor reads
 * (e.g. {@code backupBackend}, or {@code env.NAME} for the environment of command-template deployments).
 */
public record ClusterRequest(
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
        Map<String, String> extra) {

    /** The same request for this id (PUT takes the id from its path). */
    public ClusterRequest withId(String id) {
        return new ClusterRequest(id, product, version, nodes, deployment, endpoint, namespace, statefulSet,
                helmRelease, credentialsRef, postgresVersion, labels, extra);
    }
}
