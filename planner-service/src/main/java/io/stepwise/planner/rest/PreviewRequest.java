package io.stepwise.planner.rest;

import io.stepwise.model.DeploymentKind;
import io.stepwise.model.Product;
import io.stepwise.planner.domain.Cluster;
import io.stepwise.planner.rest.validation.DeploymentName;
import io.stepwise.planner.rest.validation.DistinctIds;
import io.stepwise.planner.rest.validation.KnownProduct;
import io.stepwise.planner.rest.validation.TargetVersionText;
import io.stepwise.planner.rules.ClusterFacts;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;

/**
 * Body of {@code POST /api/v1/plans/preview}: a product, a target ({@code 1.30.23}, {@code 1.30} or
 * {@code latest}), and the clusters, inline (need not be registered), by {@code selector} over the
 * inventory, or both.
 */
public record PreviewRequest(
        @KnownProduct(required = true) String product,
        @TargetVersionText String targetVersion,
        @DistinctIds List<@NotNull(message = "must be an object") @Valid InlineCluster> clusters,
        String selector) {

    /** A cluster described in the request itself. {@code product}, when given, must match the request's. */
    public record InlineCluster(
            @NotNull(message = "required")
            @Pattern(regexp = Cluster.ID_REGEX, message = "'${validatedValue}' must be 1–63 lower-case letters,"
                    + " digits or '-'")
            String id,
            @KnownProduct String product,
            String version,
            @Min(value = 1, message = "must be 1 or more") Integer nodes,
            @DeploymentName String deployment,
            String postgresVersion) implements DistinctIds.Identified {

        /** The facts planning reads, the product defaulting to the request's. */
        ClusterFacts facts(Product requested) {
            return new ClusterFacts(id, product == null ? requested : Product.fromId(product).orElseThrow(), version,
                    nodes, deployment == null ? DeploymentKind.KUBERNETES : DeploymentKind.fromId(deployment)
                    .orElseThrow(), postgresVersion);
        }
    }
}
