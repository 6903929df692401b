package io.stepwise.planner.rest;

import io.stepwise.model.DeploymentKind;
import io.stepwise.model.Product;
import io.stepwise.planner.catalog.Versions;
import io.stepwise.planner.domain.Cluster;
import io.stepwise.planner.domain.LabelSelector;
import io.stepwise.planner.rest.validation.DeploymentName;
import io.stepwise.planner.rest.validation.DistinctIds;
import io.stepwise.planner.rest.validation.ExtraSettings;
import io.stepwise.planner.rest.validation.HttpUrl;
import io.stepwise.planner.rest.validation.KnownProduct;
import io.stepwise.planner.rest.validation.VersionNumber;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.HashMap;
import java.util.Map;
import org.hibernate.validator.constraints.Range;

/**
 * Body of {@code POST /api/v1/clusters} and {@code PUT /api/v1/clusters/{id}}. Only {@code id} and {@code product}
 * are required. Connection details say how the executor reaches the cluster; {@code credentialsRef} names where the
 * API key lives in the executor's secret store (e.g. {@code secret:weaviate-prod}), never the key itself; {@code extra} holds further settings the
 * executor reads (e.g. {@code backupBackend}, or {@code env.NAME} for the environment of command-template
 * deployments).
 */
public record ClusterRequest(
        @NotNull(message = "required")
        @Pattern(regexp = Cluster.ID_REGEX, message = "'${validatedValue}' must be 1–63 lower-case letters, digits"
                + " or '-', starting with a letter or digit")
        String id,
        @KnownProduct(required = true) String product,
        @VersionNumber String version,
        @Range(min = 1, max = 1000) Integer nodes,
        @DeploymentName String deployment,
        @HttpUrl String endpoint,
        @Pattern(regexp = Cluster.DNS_LABEL_REGEX, message = "'${validatedValue}' is not a Kubernetes name: 1-63"
                + " lower-case letters, digits or '-', starting and ending with a letter or digit")
        String namespace,
        @Pattern(regexp = Cluster.DNS_LABEL_REGEX, message = "'${validatedValue}' is not a Kubernetes name: 1-63"
                + " lower-case letters, digits or '-', starting and ending with a letter or digit")
        String statefulSet,
        @Pattern(regexp = Cluster.HELM_RELEASE_REGEX, message = "'${validatedValue}' is not a helm release name: 1-53"
                + " lower-case letters, digits or '-', starting and ending with a letter or digit")
        String helmRelease,
        @Pattern(regexp = Cluster.CREDENTIALS_REF_REGEX, message = "must name a secret of the executor's secret store,"
                + " not hold it nor name an environment variable or setting: secret:<name>, e.g. secret:weaviate-prod")
        String credentialsRef,
        @Size(max = 32, message = "longer than {max} characters") String postgresVersion,
        @Size(max = Cluster.MAX_LABELS, message = "at most {max} labels")
        Map<@NotNull @Pattern(regexp = LabelSelector.KEY_REGEX, message = "'${validatedValue}' is not a valid label"
                + " key") String,
            @NotNull(message = "null is not a valid label value")
            @Pattern(regexp = LabelSelector.VALUE_REGEX, message = "'${validatedValue}' is not a valid label value"
                    + " (up to 63 letters, digits, '-', '_', '.')") String> labels,
        @Size(max = Cluster.MAX_EXTRA, message = "at most {max} settings") @ExtraSettings Map<String, String> extra) implements DistinctIds.Identified {

    /** The same request for this id (PUT takes the id from its path). */
    public ClusterRequest withId(String id) {
        return new ClusterRequest(id, product, version, nodes, deployment, endpoint, namespace, statefulSet,
                helmRelease, credentialsRef, postgresVersion, labels, extra);
    }

    /** The registration this valid request describes. */
    Cluster toCluster() {
        Cluster cluster = new Cluster();
        cluster.id = id;
        cluster.product = Product.fromId(product).orElseThrow().id();
        cluster.version = version == null ? null : Versions.parse(version).orElseThrow().getVersion();
        cluster.nodes = nodes;
        cluster.deployment = (deployment == null ? DeploymentKind.KUBERNETES
                : DeploymentKind.fromId(deployment).orElseThrow()).id();
        cluster.endpoint = endpoint;
        cluster.namespace = namespace;
        cluster.statefulSet = statefulSet;
        cluster.helmRelease = helmRelease;
        cluster.credentialsRef = credentialsRef;
        cluster.postgresVersion = postgresVersion;
        cluster.labels = labels == null ? new HashMap<>() : new HashMap<>(labels);
        cluster.extra = extra == null ? new HashMap<>() : new HashMap<>(extra);
        return cluster;
    }
}
