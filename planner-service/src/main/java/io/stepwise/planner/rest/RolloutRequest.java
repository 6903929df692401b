package io.stepwise.planner.rest;

import java.util.List;

/**
 * Body of {@code POST /api/v1/rollouts}: registered clusters by {@code selector} or {@code clusterIds}, a target,
 * and how to go about it. Defaults are the safe ones: one cluster at a time, stop after the first failure.
 */
public record RolloutRequest(String product, String targetVersion, String selector, List<String> clusterIds,
                             Strategy strategy) {

    public record Strategy(Integer maxParallel, FailurePolicy failurePolicy) {
    }

    /** {@code maxFailedClusters}: after this many failed clusters, no further cluster is started. */
    public record FailurePolicy(Integer maxFailedClusters) {
    }
}
