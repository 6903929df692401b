package io.stepwise.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The steps a rollout's full view shows, counted, and their timings (the executor's clocks): the dispatch latency between two steps of a
 * cluster (previous {@code finishedAt} → next {@code startedAt}) and each step's run time ({@code startedAt} →
 * {@code finishedAt}), overall and by kind, which shows how late the executor's polls see an operation end.
 */
record StepTimes(int steps, int succeeded, List<Double> dispatch, List<Double> runTimes,
                 Map<String, List<Double>> runTimesByKind, Instant lastFinish, int clusters) {

    static StepTimes of(JsonNode view) {
        List<Double> dispatch = new ArrayList<>();
        List<Double> runTimes = new ArrayList<>();
        Map<String, List<Double>> byKind = new TreeMap<>();
        Instant lastFinish = Instant.EPOCH;
        int clusters = 0, steps = 0, succeeded = 0;
        for (JsonNode c : view.get("clusters")) {
            clusters++;
            Instant prevFinished = null;
            for (JsonNode s : c.get("steps")) {
                steps++;
                succeeded += "SUCCEEDED".equals(s.get("state").asText()) ? 1 : 0;
                Instant started = instant(s, "startedAt");
                Instant finished = instant(s, "finishedAt");
                if (prevFinished != null && started != null) {
                    dispatch.add(millis(prevFinished, started));
                }
                if (started != null && finished != null) {
                    double ms = millis(started, finished);
                    runTimes.add(ms);
                    byKind.computeIfAbsent(s.get("kind").asText(), k -> new ArrayList<>()).add(ms);
                }
                if (finished != null && finished.isAfter(lastFinish)) {
                    lastFinish = finished;
                }
                prevFinished = finished;
            }
        }
        return new StepTimes(steps, succeeded, dispatch, runTimes, byKind, lastFinish, clusters);
    }

    /**
     * How long a cluster held its slot after its first step started, on average: its steps running and the waits
     * between them. With every slot busy the makespan is about (clusters / maxParallel) × (this + the first wait).
     */
    Map<String, Object> perClusterMeans() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runningSeconds", Stats.round(runTimes.stream().mapToDouble(Double::doubleValue).sum() / 1000 / clusters));
        m.put("betweenStepsSeconds", Stats.round(dispatch.stream().mapToDouble(Double::doubleValue).sum() / 1000 / clusters));
        return m;
    }

    Map<String, Object> dispatchSummary() {
        return Stats.summary(dispatch);
    }

    Map<String, Object> runTimeSummary() {
        return Stats.summary(runTimes);
    }

    Map<String, Object> runTimeByKindSummary() {
        Map<String, Object> m = new TreeMap<>();
        runTimesByKind.forEach((kind, times) -> m.put(kind, Stats.summary(times)));
        return m;
    }

    private static Instant instant(JsonNode step, String field) {
        return step.hasNonNull(field) ? Instant.parse(step.get(field).asText()) : null;
    }

    private static double millis(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }
}
