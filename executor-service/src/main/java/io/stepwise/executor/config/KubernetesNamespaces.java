package io.stepwise.executor.config;

import io.stepwise.executor.handler.StepFailedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The namespaces the executor may act in ({@code stepwise.executor.kubernetes.namespaces}): a StatefulSet, a helm
 * release or a kubectl target anywhere else is refused before any call. None are listed by default, so nothing on
 * Kubernetes is touched until the operator says where (and grants the executor a Role there).
 */
@ApplicationScoped
public class KubernetesNamespaces {

    private final Set<String> allowed;

    @Inject
    public KubernetesNamespaces(ExecutorConfig config) {
        this(config.kubernetes().namespaces().orElse(List.of()));
    }

    KubernetesNamespaces(List<String> namespaces) {
        this.allowed = new TreeSet<>(namespaces.stream().map(String::trim).filter(n -> !n.isEmpty()).toList());
    }

    /** The namespace, checked to be a DNS-1123 label listed in the configuration. */
    public String require(String namespace, String clusterId) {
        Names.require(Names.DNS_LABEL, "namespace", namespace, clusterId);
        if (!allowed.contains(namespace)) {
            throw new StepFailedException("cluster " + clusterId + " is in namespace '" + namespace + "', where the"
                    + " executor may not act: stepwise.executor.kubernetes.namespaces lists "
                    + (allowed.isEmpty() ? "none" : String.join(", ", allowed)) + "; nothing was done");
        }
        return namespace;
    }
}
