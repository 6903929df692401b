package io.stepwise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A rollout as a watcher knows it, built from the watch stream: the first event of a connection is the whole
 * rollout, each later one the rollout's state, counts and waves with only the clusters that changed.
 */
final class RolloutProgress {

    static final Set<String> ENDED = Set.of("SUCCEEDED", "FAILED", "SKIPPED", "CANCELLED");
    static final Set<String> ACTIVE = Set.of("RUNNING", "AWAITING_APPROVAL");

    record Step(int seq, String kind, String toVersion, String state, String message, String error, String errorCode) {
    }

    record Cluster(String id, String wave, String state, String fromVersion, String toVersion, int currentSeq,
                   String message, String refusalCode, List<Step> steps) {

        boolean ended() {
            return ENDED.contains(state);
        }

        int succeededSteps() {
            return (int) steps.stream().filter(s -> s.state().equals("SUCCEEDED")).count();
        }

        /** The step in hand: the current one, else the first that has not succeeded. */
        Step currentStep() {
            for (Step s : steps) {
                if (s.seq() == currentSeq) {
                    return s;
                }
            }
            return steps.stream().filter(s -> !s.state().equals("SUCCEEDED")).findFirst().orElse(null);
        }

        /** The step that failed, if one did. */
        Step failedStep() {
            return steps.stream().filter(s -> s.state().equals("FAILED")).reduce((a, b) -> b).orElse(null);
        }
    }

    record Wave(String name, boolean pauseAfter, Map<String, Integer> counts) {

        int total() {
            return counts.values().stream().mapToInt(Integer::intValue).sum();
        }

        int count(String state) {
            return counts.getOrDefault(state, 0);
        }

        int ended() {
            return ENDED.stream().mapToInt(this::count).sum();
        }
    }

    String id = "";
    String state = "";
    String product = "";
    String targetVersion = "";
    String message = "";
    String currentWave = "";
    Instant createdAt;
    Instant finishedAt;
    Map<String, Integer> counts = Map.of();
    List<Wave> waves = List.of();
    final Map<String, Cluster> clusters = new LinkedHashMap<>();
    private boolean clustersKnown;

    /** A rollout as one answer of the API shows it (the whole rollout, or its summary). */
    static RolloutProgress of(JsonNode rollout) {
        RolloutProgress progress = new RolloutProgress();
        progress.apply(rollout, true);
        return progress;
    }

    /**
     * Takes one event in. {@code whole}: the event is the whole rollout (the first of a connection), so clusters it
     * does not name are gone. Returns the clusters that came to an end with this event (not those already ended when
     * the watcher first saw them).
     */
    List<Cluster> apply(JsonNode event, boolean whole) {
        id = Json.text(event, "id");
        state = Json.text(event, "state");
        product = Json.text(event, "product");
        targetVersion = Json.text(event, "targetVersion");
        message = Json.text(event, "message");
        currentWave = Json.text(event, "currentWave");
        createdAt = Json.time(event, "createdAt");
        finishedAt = Json.time(event, "finishedAt");
        counts = counts(event.path("counts"));
        List<Wave> w = new ArrayList<>();
        for (JsonNode wave : event.path("waves")) {
            w.add(new Wave(Json.text(wave, "name"), wave.path("pauseAfter").asBoolean(), counts(wave.path("counts"))));
        }
        waves = List.copyOf(w);
        JsonNode changed = event.path("clusters");
        if (!changed.isArray()) {
            return List.of(); // a summary event: counts only
        }
        boolean firstSight = !clustersKnown;
        clustersKnown = true;
        Map<String, Cluster> before = whole ? new LinkedHashMap<>(clusters) : clusters;
        if (whole) {
            clusters.clear();
        }
        List<Cluster> ended = new ArrayList<>();
        for (JsonNode c : changed) {
            Cluster cluster = cluster(c);
            Cluster previous = before.get(cluster.id());
            if (!firstSight && cluster.ended() && (previous == null || !previous.ended())) {
                ended.add(cluster);
            }
            clusters.put(cluster.id(), cluster);
        }
        return ended;
    }

    boolean finished() {
        return finishedAt != null;
    }

    int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    int count(String s) {
        return counts.getOrDefault(s, 0);
    }

    int ended() {
        return ENDED.stream().mapToInt(this::count).sum();
    }

    Collection<Cluster> clusters() {
        return clusters.values();
    }

    /** Steps done so far, over every cluster. */
    int doneSteps() {
        return clusters.values().stream().mapToInt(Cluster::succeededSteps).sum();
    }

    /** Steps still to run: those not ended of the clusters that have not ended. */
    int remainingSteps() {
        int remaining = 0;
        for (Cluster c : clusters.values()) {
            if (!c.ended()) {
                remaining += (int) c.steps().stream()
                        .filter(s -> !s.state().equals("SUCCEEDED") && !s.state().equals("FAILED")).count();
            }
        }
        return remaining;
    }

    /** Clusters at work (a step in flight or at an approval gate), in the order the rollout lists them. */
    List<Cluster> active() {
        return clusters.values().stream().filter(c -> ACTIVE.contains(c.state())).toList();
    }

    List<Cluster> withState(String s) {
        return clusters.values().stream().filter(c -> c.state().equals(s)).toList();
    }

    private static Cluster cluster(JsonNode c) {
        List<Step> steps = new ArrayList<>();
        for (JsonNode s : c.path("steps")) {
            steps.add(new Step(s.path("seq").asInt(), Json.text(s, "kind"), Json.text(s, "toVersion"),
                    Json.text(s, "state"), Json.text(s, "message"), Json.text(s, "error"), Json.text(s, "errorCode")));
        }
        return new Cluster(Json.text(c, "clusterId"), Json.text(c, "wave"), Json.text(c, "state"),
                Json.text(c, "fromVersion"), Json.text(c, "toVersion"), c.path("currentSeq").asInt(),
                Json.text(c, "message"), Json.text(c, "refusalCode"), List.copyOf(steps));
    }

    private static Map<String, Integer> counts(JsonNode counts) {
        Map<String, Integer> map = new LinkedHashMap<>();
        counts.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asInt()));
        return map;
    }
}
