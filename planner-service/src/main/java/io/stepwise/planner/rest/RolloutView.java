package io.stepwise.planner.rest;

import io.stepwise.model.ClusterPlanState;
import io.stepwise.model.RolloutState;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepState;
import io.stepwise.planner.domain.Rollout;
import io.stepwise.planner.domain.RolloutCluster;
import io.stepwise.planner.domain.RolloutStep;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A rollout with per-cluster and per-step progress, as {@code GET /api/v1/rollouts/{id}} shows it. */
public record RolloutView(String id, RolloutState state, String product, String targetVersion, String selector,
                          int maxParallel, int maxFailedClusters, String message, Instant createdAt,
                          Instant updatedAt, Instant finishedAt, Map<ClusterPlanState, Integer> counts,
                          List<ClusterProgress> clusters) {

    public record ClusterProgress(String clusterId, ClusterPlanState state, String fromVersion, String toVersion,
                                  int currentSeq, String message, String refusalCode, Instant startedAt,
                                  Instant finishedAt, List<StepProgress> steps) {
    }

    public record StepProgress(int seq, StepKind kind, String toVersion, String rule, StepState state, int attempts,
                               Instant startedAt, Instant finishedAt, String message, String error) {
    }

    public static RolloutView of(Rollout r, List<RolloutCluster> clusters, List<RolloutStep> steps) {
        Map<String, List<StepProgress>> byCluster = new LinkedHashMap<>();
        for (RolloutStep s : steps) {
            byCluster.computeIfAbsent(s.clusterId, k -> new java.util.ArrayList<>()).add(new StepProgress(s.seq,
                    s.kind, s.toVersion, s.rule, s.state, s.attempts, s.startedAt, s.finishedAt, s.message, s.error));
        }
        Map<ClusterPlanState, Integer> counts = new LinkedHashMap<>();
        clusters.forEach(c -> counts.merge(c.state, 1, Integer::sum));
        return new RolloutView(r.id, r.state, r.product, r.targetVersion, r.selector, r.maxParallel,
                r.maxFailedClusters, r.message, r.createdAt, r.updatedAt, r.finishedAt, counts,
                clusters.stream().map(c -> new ClusterProgress(c.clusterId(), c.state, c.fromVersion, c.toVersion,
                        c.currentSeq, c.message, c.refusalCode, c.startedAt, c.finishedAt,
                        byCluster.getOrDefault(c.clusterId(), List.of()))).toList());
    }

    /** The list form: no clusters, only counts. */
    public RolloutView withoutClusters() {
        return new RolloutView(id, state, product, targetVersion, selector, maxParallel, maxFailedClusters, message,
                createdAt, updatedAt, finishedAt, counts, null);
    }
}
