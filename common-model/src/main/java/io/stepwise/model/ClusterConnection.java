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
 * @param credentialsRef  reference to the secret holding the API key (e.g. an environment variable or secret name)
 * @param extra           further product- or deployment-specific settings
 */
public record ClusterConnection(
        String endpoint,
        DeploymentKind deployment,
        String namespace,
        String statefulSet,
        String helmRelease,
        String credentialsRef,
        Map<String, String> extra) {

    public ClusterConnection {
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }
}
