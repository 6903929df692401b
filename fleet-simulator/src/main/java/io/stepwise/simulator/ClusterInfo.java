package io.stepwise.simulator;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How to reach a simulated cluster; what {@code POST /admin/clusters} answers.
 *
 * @param endpoint      Weaviate base URL ({@code {simulator}/clusters/{id}}), or the pachd address for Pachyderm
 * @param namespace     Kubernetes namespace of the StatefulSet (kubernetes and command deployments)
 * @param statefulSet   StatefulSet name (also the helm release name)
 * @param kubernetesUrl the simulated Kubernetes API server
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterInfo(
        String id,
        String product,
        String version,
        int nodes,
        String deployment,
        String endpoint,
        String namespace,
        String statefulSet,
        String helmRelease,
        String kubernetesUrl) {
}
