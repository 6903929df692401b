package io.stepwise.planner.service;

import io.stepwise.planner.domain.RolloutCluster;
import io.stepwise.planner.domain.RolloutStep;
import java.util.List;

/**
 * A rollout's counts with one page of its clusters and their steps: what a person looking at a rollout of
 * thousands of clusters sees at once.
 */
public record RolloutPage(RolloutSummary summary, Page<RolloutCluster> clusters, List<RolloutStep> steps) {
}
