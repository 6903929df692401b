package io.stepwise.planner.lifecycle;

import io.stepwise.model.Product;
import io.stepwise.planner.domain.Cluster;
import io.stepwise.planner.domain.Gate;
import io.stepwise.planner.domain.Wave;
import io.stepwise.planner.rules.PlanOutcome;
import java.time.Instant;
import java.util.List;

/**
 * A rollout that was validated and planned, ready to be created: its settings, its waves, and each selected cluster
 * with its wave (numbered from 1) and its plan or refusal, in the order clusters are released. With
 * {@code skipBusyClusters}, clusters another unfinished rollout holds are skipped instead of refusing the rollout.
 * With {@code startAt} in the future it is SCHEDULED and planned then; {@code gates}, {@code followSelector} and
 * {@code strategyName} as on {@link io.stepwise.planner.domain.Rollout}.
 */
public record NewRollout(String id, Product product, String targetVersion, String selector, int maxParallel,
                         int maxFailedClusters, List<Wave> waves, String idempotencyKey, String requestHash,
                         String actor, boolean skipBusyClusters, List<PlannedCluster> clusters, Instant startAt,
                         List<Gate> gates, boolean followSelector, String strategyName,
                         boolean probe) {

    public record PlannedCluster(Cluster cluster, int wave, PlanOutcome outcome) {
    }
}
