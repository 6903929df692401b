package io.stepwise.executor.config;

import io.stepwise.executor.handler.ConnectionCheck;
import io.stepwise.model.ClusterConnection;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The product-neutral half of what a step's cluster may ask of the executor, checked before the step does anything:
 * its secret ({@link SecretResolver}), its endpoint ({@link EndpointPolicy}), its namespace, StatefulSet and release
 * names ({@link Names}, {@link KubernetesNamespaces}) and the environment it gives commands ({@link EnvironmentPolicy}).
 * Each is checked again where it is used.
 */
@ApplicationScoped
public class ClusterAccess implements ConnectionCheck {

    private final SecretResolver secrets;
    private final EndpointPolicy endpoints;
    private final KubernetesNamespaces namespaces;
    private final EnvironmentPolicy environment;

    public ClusterAccess(SecretResolver secrets, EndpointPolicy endpoints, KubernetesNamespaces namespaces,
                         EnvironmentPolicy environment) {
        this.secrets = secrets;
        this.endpoints = endpoints;
        this.namespaces = namespaces;
        this.environment = environment;
    }

    @Override
    public void check(StepRequested step) {
        ClusterConnection c = step.cluster();
        if (c == null) {
            return;
        }
        String id = step.clusterId();
        if (present(c.namespace())) {
            namespaces.require(c.namespace(), id);
        }
        if (present(c.statefulSet())) {
            Names.require(Names.DNS_SUBDOMAIN, "statefulSet", c.statefulSet(), id);
        }
        if (present(c.helmRelease())) {
            Names.require(Names.DNS_SUBDOMAIN, "helmRelease", c.helmRelease(), id);
        }
        environment.clusterEnvironment(step);
        if (present(c.endpoint())) {
            endpoints.check(id, c.endpoint());
        }
        secrets.resolve(id, c);
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
