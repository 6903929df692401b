package io.stepwise.model;

import java.util.Map;

/**
 * How the executor reaches a cluster. Secrets travel only as references ({@code credentialsRef}),
 * never in clear.
 *
 * @param endpoint        base URL of the product's API (Weaviate REST), or the pachd address
 * @param namespace       Kubernetes namespace of the StatefulSet or release
 * @param statefulSet     Kubernetes StatefulSet name
 * @param helmRelease     helm release name, for command-template deployments
 * @param credentialsRef  the executor's secret holding the API key, {@code secret:<name>}
 * @param extra           further product- or deployment-specific settings
 * @param labels          the cluster's inventory labels, which the executor's secret bindings may select on
 */
public record ClusterConnection(
        String endpoint,
        DeploymentKind deployment,
        String namespace,
        String statefulSet,
        String helmRelease,
        String credentialsRef,
        Map<String, String> extra,
        Map<String, String> labels) {

    public ClusterConnection {
        extra = extra == null ? Map.of() : Map.copyOf(extra);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** A connection without labels (a cluster not from the inventory, or a sender older than labels). */
    public ClusterConnection(String endpoint, DeploymentKind deployment, String namespace, String statefulSet,
                             String helmRelease, String credentialsRef, Map<String, String> extra) {
        this(endpoint, deployment, namespace, statefulSet, helmRelease, credentialsRef, extra, Map.of());
    }
}
