package io.stepwise.planner.service;

import io.stepwise.planner.domain.RolloutCluster;
import io.stepwise.planner.domain.RolloutStep;
import java.util.List;

/**
 * What a watcher of a rollout is sent: the rollout counted, and the clusters that changed with their steps (null
 * for a watcher that asked for counts only).
 */
public record RolloutChange(RolloutSummary summary, List<RolloutCluster> changedClusters, List<RolloutStep> steps) {
}
