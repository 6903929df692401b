package io.stepwise.planner.service;

import io.stepwise.planner.domain.Cluster;
import io.stepwise.planner.domain.FieldProblems;
import io.stepwise.planner.domain.InvalidInputException;
import io.stepwise.planner.domain.InvalidSelectorException;
import io.stepwise.planner.domain.LabelSelector;
import io.stepwise.planner.domain.Wave;
import io.stepwise.planner.service.StartRollout.WaveSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The waves of a rollout and the wave of each selected cluster (numbered from 1). A cluster goes to the first wave
 * that takes it; clusters no wave takes form a last wave, "remaining". A wave that takes no cluster is refused: a
 * canary selector that matches nothing is a mistake to report, not a wave to skip.
 */
record WaveAssignment(List<Wave> waves, Map<String, Integer> waveOf) {

    /** Most waves one rollout may have. */
    static final int MAX_WAVES = 100;

    static WaveAssignment of(List<WaveSpec> asked, List<Cluster> selected) {
        Map<String, Integer> waveOf = new HashMap<>();
        if (asked == null || asked.isEmpty()) {
            selected.forEach(c -> waveOf.put(c.id, 1));
            return new WaveAssignment(Wave.ONE, waveOf);
        }
        if (asked.size() > MAX_WAVES) {
            throw InvalidInputException.of("strategy.waves", "at most " + MAX_WAVES + " waves");
        }
        FieldProblems problems = new FieldProblems();
        Set<String> inRollout = new HashSet<>();
        selected.forEach(c -> inRollout.add(c.id));
        List<Wave> waves = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < asked.size(); i++) {
            String field = "strategy.waves[" + i + "]";
            WaveSpec wave = asked.get(i);
            String name = wave.name() == null || wave.name().isBlank() ? "wave " + (i + 1) : wave.name().trim();
            if (!names.add(name)) {
                problems.add(field + ".name", "'" + name + "' names two waves");
            }
            boolean bySelector = wave.selector() != null && !wave.selector().isBlank();
            boolean byIds = wave.clusterIds() != null && !wave.clusterIds().isEmpty();
            if (bySelector && byIds) {
                problems.add(field, "give a selector or clusterIds, not both");
                continue;
            }
            LabelSelector selector = LabelSelector.EVERYTHING;
            if (bySelector) {
                try {
                    selector = LabelSelector.parse(wave.selector());
                } catch (InvalidSelectorException e) {
                    problems.add(field + ".selector", e.getMessage());
                    continue;
                }
            }
            if (byIds) {
                for (int j = 0; j < wave.clusterIds().size(); j++) {
                    if (!inRollout.contains(wave.clusterIds().get(j))) {
                        problems.add(field + ".clusterIds[" + j + "]", "'" + wave.clusterIds().get(j)
                                + "' is not one of the clusters this rollout selected");
                    }
                }
            }
            int number = i + 1;
            int taken = 0;
            for (Cluster c : selected) {
                boolean member = byIds ? wave.clusterIds().contains(c.id) : selector.matches(c.labels);
                if (member && !waveOf.containsKey(c.id)) {
                    waveOf.put(c.id, number);
                    taken++;
                }
            }
            if (taken == 0) {
                problems.add(field, "wave '" + name + "' takes none of the rollout's clusters"
                        + (i > 0 ? " (those it names may all be in earlier waves)" : ""));
            }
            waves.add(new Wave(name, wave.pauseAfter()));
        }
        problems.throwIfAny();
        if (waveOf.size() < selected.size()) {
            int number = waves.size() + 1;
            selected.stream().filter(c -> !waveOf.containsKey(c.id)).forEach(c -> waveOf.put(c.id, number));
            waves.add(new Wave(names.contains("remaining") ? "remaining (" + number + ")" : "remaining", false));
        }
        return new WaveAssignment(waves, waveOf);
    }
}
