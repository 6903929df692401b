package io.stepwise.planner.service;

import io.stepwise.model.Product;
import io.stepwise.planner.rules.TargetVersion;
import java.util.List;

/**
 * A request to start a rollout, its fields already well formed: registered clusters by {@code selector} or
 * {@code clusterIds}; null limits take the configured defaults; {@code waves} may be empty; with
 * {@code skipBusyClusters}, clusters other unfinished rollouts hold are skipped rather than refusing the rollout;
 * {@code probe}: plan from what the clusters really run (null: the configured default); {@code recoveryOf}: restore
 * the pre-upgrade backup of a cluster that failed in an earlier rollout instead of moving to the target (null: none).
 */
public record StartRollout(Product product, TargetVersion target, String selector, List<String> clusterIds,
                           Integer maxParallel, Integer maxFailedClusters, List<WaveSpec> waves,
                           boolean skipBusyClusters, Boolean probe, RecoveryOf recoveryOf) {

    public StartRollout(Product product, TargetVersion target, String selector, List<String> clusterIds,
                        Integer maxParallel, Integer maxFailedClusters, List<WaveSpec> waves,
                        boolean skipBusyClusters, Boolean probe) {
        this(product, target, selector, clusterIds, maxParallel, maxFailedClusters, waves, skipBusyClusters, probe,
                null);
    }

    /** The cluster that failed in rollout {@code rolloutId}, whose recovery this rollout is. */
    public record RecoveryOf(String rolloutId, String clusterId) {
    }

    /** One wave: the clusters its selector matches or its clusterIds name, or with neither all the rest. */
    public record WaveSpec(String name, String selector, List<String> clusterIds, boolean pauseAfter) {
    }
}
