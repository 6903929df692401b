package io.stepwise.planner.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Body of {@code POST /api/v1/rollouts}: registered clusters by {@code selector} or {@code clusterIds}, a target,
 * and how to go about it. Defaults are the safe ones: one cluster at a time, stop after the first failure.
 */
public record RolloutRequest(String product, String targetVersion, String selector, List<String> clusterIds,
                             Strategy strategy) {

    public record Strategy(Integer maxParallel,
                           // left out of the request's idempotency hash when absent, as before waves existed
                           @JsonInclude(JsonInclude.Include.NON_NULL) List<WaveRequest> waves,
                           FailurePolicy failurePolicy) {
    }

    /**
     * One wave: the rollout's clusters matching {@code selector}, or those named in {@code clusterIds}, or (with
     * neither) all clusters not in an earlier wave. Clusters in no wave form a last wave, "remaining".
     * {@code pauseAfter}: pause the rollout when this wave has ended, until someone resumes it.
     */
    public record WaveRequest(String name, String selector, List<String> clusterIds, Boolean pauseAfter) {
    }

    /** {@code maxFailedClusters}: after this many failed clusters, no further cluster is started. */
    public record FailurePolicy(Integer maxFailedClusters) {
    }
}
