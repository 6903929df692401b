package io.stepwise.planner.rest;

import java.util.List;

/**
 * Body of {@code POST /api/v1/plans/preview}: a product, a target ({@code 1.30.23}, {@code 1.30} or
 * {@code latest}), and the clusters, inline (need not be registered), by {@code selector} over the
 * inventory, or both.
 */
public record PreviewRequest(String product, String targetVersion, List<InlineCluster> clusters, String selector) {

    /** A cluster described in the request itself. {@code product}, when given, must match the request's. */
    public record InlineCluster(String id, String product, String version, Integer nodes, String deployment,
                                String postgresVersion) {
    }
}
