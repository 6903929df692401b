package io.stepwise.planner.service;

import io.stepwise.planner.domain.Rollout;
import io.stepwise.planner.domain.RolloutCluster;
import io.stepwise.planner.domain.RolloutStep;
import io.stepwise.planner.domain.Wave;
import java.util.List;

/** A rollout with its waves, every cluster in selection order, and every step. */
public record RolloutDetail(Rollout rollout, List<Wave> waves, List<RolloutCluster> clusters, List<RolloutStep> steps) {
}
