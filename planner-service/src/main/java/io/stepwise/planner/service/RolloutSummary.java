package io.stepwise.planner.service;

import io.stepwise.planner.domain.ClusterTally;
import io.stepwise.planner.domain.Rollout;
import io.stepwise.planner.domain.Wave;
import java.util.List;

/** A rollout with its waves and its clusters counted by state and wave, without the clusters themselves. */
public record RolloutSummary(Rollout rollout, List<Wave> waves, ClusterTally tally) {
}
