package io.stepwise.planner.domain;

import io.stepwise.model.ClusterPlanState;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How many of a rollout's clusters are in each state (absent states count 0), and the same per wave (wave number
 * → the states present).
 */
public record ClusterTally(Map<ClusterPlanState, Long> byState, Map<Integer, Map<ClusterPlanState, Long>> byWave) {

    /** From rows of (wave, state name, count). */
    public static ClusterTally of(List<Object[]> waveStateCounts) {
        Map<ClusterPlanState, Long> byState = new EnumMap<>(ClusterPlanState.class);
        for (ClusterPlanState state : ClusterPlanState.values()) {
            byState.put(state, 0L);
        }
        Map<Integer, Map<ClusterPlanState, Long>> byWave = new TreeMap<>();
        for (Object[] row : waveStateCounts) {
            int wave = ((Number) row[0]).intValue();
            ClusterPlanState state = ClusterPlanState.valueOf((String) row[1]);
            long count = ((Number) row[2]).longValue();
            byState.merge(state, count, Long::sum);
            byWave.computeIfAbsent(wave, w -> new EnumMap<>(ClusterPlanState.class)).put(state, count);
        }
        return new ClusterTally(byState, byWave);
    }
}
