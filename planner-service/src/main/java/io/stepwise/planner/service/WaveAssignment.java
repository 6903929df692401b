package io.stepwise.planner.service;

import io.stepwise.planner.domain.Cluster;
import io.stepwise.planner.domain.FieldProblems;
import io.stepwise.planner.domain.Gate;
import io.stepwise.planner.domain.InvalidInputException;
import io.stepwise.planner.domain.InvalidSelectorException;
import io.stepwise.planner.domain.LabelSelector;
import io.stepwise.planner.domain.Wave;
import io.stepwise.planner.service.StartRollout.WaveSpec;
import java.time.Duration;
import java.time.format.DateTimeParseException;
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

    /** The longest soak: GKE's rollout sequencing allows 30 days too. */
    static final Duration MAX_SOAK = Duration.ofDays(30);

    /** A count ("3") or a percentage of the wave's clusters ("10%", at least one cluster); null when not given. */
    static Integer limit(FieldProblems problems, String field, String text, int clusters) {
        if (text == null) {
            return null;
        }
        String value = text.trim();
        boolean percent = value.endsWith("%");
        String digits = percent ? value.substring(0, value.length() - 1).trim() : value;
        if (!digits.matches("[0-9]{1,5}")) {
            problems.add(field, "'" + text + "' is neither a count (3) nor a percentage (10%)");
            return null;
        }
        int number = Integer.parseInt(digits);
        if (percent ? number < 1 || number > 100 : number < 1 || number > 10_000) {
            problems.add(field, percent ? "a percentage from 1% to 100%" : "a count from 1 to 10000");
            return null;
        }
        return percent ? Math.max(1, (int) Math.ceil(clusters * number / 100.0)) : number;
    }

    static String soak(FieldProblems problems, String field, String text) {
        if (text == null) {
            return null;
        }
        try {
            Duration soak = Duration.parse(text.trim());
            if (soak.isNegative() || soak.isZero() || soak.compareTo(MAX_SOAK) > 0) {
                problems.add(field, "'" + text + "' must be above zero and at most 30 days (P30D)");
                return null;
            }
            return soak.toString();
        } catch (DateTimeParseException e) {
            problems.add(field, "'" + text + "' is not an ISO-8601 duration such as PT2H or P1D");
            return null;
        }
    }

    /** Checks the gates against the waves: a known wave, before or after, a role that can approve. */
    static List<Gate> gates(List<StartRollout.GateSpec> asked, List<Wave> waves) {
        if (asked == null || asked.isEmpty()) {
            return List.of();
        }
        FieldProblems problems = new FieldProblems();
        Set<String> names = new HashSet<>();
        waves.forEach(w -> names.add(w.name()));
        List<Gate> gates = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < asked.size(); i++) {
            StartRollout.GateSpec gate = asked.get(i);
            String field = "strategy.gates[" + i + "]";
            if (gate == null) {
                problems.add(field, "a gate is required");
                continue;
            }
            if (!Gate.BEFORE.equals(gate.when()) && !Gate.AFTER.equals(gate.when())) {
                problems.add(field + ".when", "'" + gate.when() + "' is neither before nor after");
            }
            if (gate.wave() == null || !names.contains(gate.wave())) {
                problems.add(field + ".wave", "'" + gate.wave() + "' is none of the rollout's waves " + names);
            }
            String role = gate.role() == null ? "approver" : gate.role();
            if (!role.equals("approver") && !role.equals("admin")) {
                problems.add(field + ".role", "'" + role + "' cannot approve a gate: approver or admin");
            }
            Gate made = new Gate(gate.when(), gate.wave(), role);
            if (!keys.add(made.key())) {
                problems.add(field, "a second gate " + made.key());
            }
            gates.add(made);
        }
        problems.throwIfAny();
        return gates;
    }

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
            waves.add(new Wave(name, wave.pauseAfter(), limit(problems, field + ".maxParallel", wave.maxParallel(),
                    taken), limit(problems, field + ".maxFailed", wave.maxFailed(), taken),
                    soak(problems, field + ".waitAfter", wave.waitAfter())));
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
