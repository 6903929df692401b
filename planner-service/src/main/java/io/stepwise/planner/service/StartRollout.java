package io.stepwise.planner.service;

import io.stepwise.model.Product;
import io.stepwise.planner.rules.TargetVersion;
import java.time.Instant;
import java.util.List;

/**
 * A request to start a rollout, its fields already well formed: registered clusters by {@code selector} or
 * {@code clusterIds}; null limits take the configured defaults; {@code waves} may be empty; with
 * {@code skipBusyClusters}, clusters other unfinished rollouts hold are skipped rather than refusing the rollout;
 * {@code probe}: plan from what the clusters really run (null: the configured default). {@code startAt}: SCHEDULED
 * until then (null: now); {@code gates}: approvals before or after waves; {@code followSelector}: clusters
 * registered later that match the selector join the last wave; {@code strategyName}: the saved strategy the
 * strategy came from, for the record; {@code recoveryOf}: restore the pre-upgrade backup of a cluster that failed in
 * an earlier rollout instead of moving to the target (null: none).
 */
public record StartRollout(Product product, TargetVersion target, String selector, List<String> clusterIds,
                           Integer maxParallel, Integer maxFailedClusters, List<WaveSpec> waves,
                           boolean skipBusyClusters, Boolean probe, Instant startAt, List<GateSpec> gates,
                           boolean followSelector, String strategyName, RecoveryOf recoveryOf) {

    /** The cluster that failed in rollout {@code rolloutId}, whose recovery this rollout is. */
    public record RecoveryOf(String rolloutId, String clusterId) {
    }

    /**
     * One wave: the clusters its selector matches or its clusterIds name, or with neither all the rest.
     * {@code maxParallel}, {@code maxFailed}: a count or a percentage of the wave's clusters, null for
     * the rollout's; {@code waitAfter}: an ISO-8601 soak after it, null for none.
     */
    public record WaveSpec(String name, String selector, List<String> clusterIds, boolean pauseAfter,
                           String maxParallel, String maxFailed, String waitAfter) {

        public WaveSpec(String name, String selector, List<String> clusterIds, boolean pauseAfter) {
            this(name, selector, clusterIds, pauseAfter, null, null, null);
        }
    }

    /** A gate {@code when} ("before" or "after") the wave named {@code wave}, approved by {@code role}. */
    public record GateSpec(String when, String wave, String role) {
    }
}
