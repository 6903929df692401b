package io.stepwise.planner.rest;

import io.stepwise.model.ClusterPlanState;
import io.stepwise.model.RolloutState;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepState;
import io.stepwise.planner.domain.Gate;
import io.stepwise.planner.domain.Rollout;
import io.stepwise.planner.domain.RolloutCluster;
import io.stepwise.planner.domain.RolloutStep;
import io.stepwise.planner.domain.Wave;
import io.stepwise.planner.service.RolloutChange;
import io.stepwise.planner.service.RolloutDetail;
import io.stepwise.planner.service.RolloutPage;
import io.stepwise.planner.service.RolloutSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A rollout with per-cluster and per-step progress, as {@code GET /api/v1/rollouts/{id}} shows it. */
public record RolloutView(String id, RolloutState state, String product, String targetVersion,
                          @Schema(nullable = true, description = "null when the rollout names its clusters")
                          String selector,
                          int maxParallel, int maxFailedClusters, @Schema(nullable = true) String message,
                          Instant createdAt, Instant updatedAt,
                          @Schema(implementation = String.class, format = "date-time", nullable = true,
                                  description = "null until the rollout has ended") Instant finishedAt,
                          Map<ClusterPlanState, Integer> counts, String currentWave, List<WaveProgress> waves,
                          @Schema(nullable = true, description = "null in the summary view")
                          List<ClusterProgress> clusters,
                          @Schema(implementation = String.class, format = "date-time", nullable = true,
                                  description = "when a SCHEDULED rollout starts (or started)") Instant startAt,
                          @Schema(nullable = true, description = "what the rollout waits for between two waves:"
                                  + " gate (pendingGate, gateRole) or soak (waitUntil); null: nothing")
                          String waitingFor,
                          @Schema(nullable = true, description = "the gate it waits at: before:<wave> or after:<wave>")
                          String pendingGate,
                          @Schema(nullable = true, description = "the role that may approve that gate")
                          String gateRole,
                          @Schema(implementation = String.class, format = "date-time", nullable = true,
                                  description = "the end of the soak it waits out") Instant waitUntil,
                          List<GateProgress> gates, boolean followSelector,
                          @Schema(nullable = true) String strategyName) {

    /**
     * A wave, in order: its clusters by state, whether the rollout pauses once it has ended, its own limits
     * (resolved from a count or a percentage; null: the rollout's) and its soak.
     */
    public record WaveProgress(String name, boolean pauseAfter, Map<ClusterPlanState, Integer> counts,
                               @Schema(nullable = true) Integer maxParallel, @Schema(nullable = true) Integer maxFailed,
                               @Schema(nullable = true, description = "ISO-8601") String waitAfter) {
    }


    /** A gate and where it stands: PASSED, PENDING (the rollout waits at it) or AHEAD. */
    public record GateProgress(String when, String wave, String role, String state) {
    }

    public record ClusterProgress(String clusterId, String wave, ClusterPlanState state,
                                  @Schema(nullable = true) String fromVersion,
                                  @Schema(nullable = true) String toVersion,
                                  int currentSeq, @Schema(nullable = true) String message,
                                  @Schema(nullable = true, description = "why the cluster was SKIPPED")
                                  String refusalCode,
                                  @Schema(implementation = String.class, format = "date-time", nullable = true)
                                  Instant startedAt,
                                  @Schema(implementation = String.class, format = "date-time", nullable = true)
                                  Instant finishedAt, List<StepProgress> steps) {
    }

    public record StepProgress(int seq, StepKind kind, @Schema(nullable = true) String toVersion, String rule,
                               @Schema(nullable = true) String segment, StepState state, int attempts,
                               @Schema(implementation = String.class, format = "date-time", nullable = true)
                               Instant startedAt,
                               @Schema(implementation = String.class, format = "date-time", nullable = true)
                               Instant finishedAt,
                               @Schema(nullable = true) String message, @Schema(nullable = true) String error,
                               @Schema(nullable = true) String errorCode) {
    }

    /** The whole rollout: every cluster with its steps, and the counts they make. */
    public static RolloutView of(RolloutDetail detail) {
        Map<ClusterPlanState, Integer> counts = new LinkedHashMap<>();
        detail.clusters().forEach(c -> counts.merge(c.state, 1, Integer::sum));
        List<Wave> waves = detail.waves();
        List<Map<ClusterPlanState, Integer>> waveCounts = new ArrayList<>();
        waves.forEach(w -> waveCounts.add(new LinkedHashMap<>()));
        detail.clusters().forEach(c -> waveCounts.get(c.wave - 1).merge(c.state, 1, Integer::sum));
        List<WaveProgress> waveProgress = new ArrayList<>();
        for (int i = 0; i < waves.size(); i++) {
            waveProgress.add(wave(waves.get(i), waveCounts.get(i)));
        }
        Rollout r = detail.rollout();
        return new RolloutView(r.id, r.state, r.product, r.targetVersion, r.selector, r.maxParallel,
                r.maxFailedClusters, r.message, r.createdAt, r.updatedAt, r.finishedAt, counts,
                waves.get(r.currentWave - 1).name(), waveProgress,
                clusters(waves, detail.clusters(), detail.steps()), r.startAt, waitingFor(r), r.pendingGate,
                gateRole(r), r.waitUntil, gates(r), r.followSelector,
                r.strategyName);
    }

    /** What a watcher is sent: the counts, and with them the clusters that changed unless it asked for counts only. */
    public static RolloutView of(RolloutChange change) {
        RolloutView summary = summary(change.summary());
        return change.changedClusters() == null ? summary
                : summary.withClusters(clusters(change.summary().waves(), change.changedClusters(), change.steps()));
    }

    /** The counts with one page of clusters. */
    public static RolloutView of(RolloutPage page) {
        return summary(page.summary()).withClusters(clusters(page.summary().waves(), page.clusters().items(),
                page.steps()));
    }

    private static List<ClusterProgress> clusters(List<Wave> waves, List<RolloutCluster> clusters,
                                                  List<RolloutStep> steps) {
        Map<String, List<StepProgress>> byCluster = new LinkedHashMap<>();
        for (RolloutStep s : steps) {
            byCluster.computeIfAbsent(s.clusterId, k -> new ArrayList<>()).add(new StepProgress(s.seq, s.kind,
                    s.toVersion, s.rule, s.segment, s.state, s.attempts, s.startedAt, s.finishedAt, s.message, s.error,
                    s.errorCode));
        }
        return clusters.stream().map(c -> new ClusterProgress(c.clusterId(), waves.get(c.wave - 1).name(), c.state,
                c.fromVersion, c.toVersion, c.currentSeq, c.message, c.refusalCode, c.startedAt, c.finishedAt,
                byCluster.getOrDefault(c.clusterId(), List.of()))).toList();
    }

    /** The same rollout showing only these clusters. */
    private RolloutView withClusters(List<ClusterProgress> only) {
        return new RolloutView(id, state, product, targetVersion, selector, maxParallel, maxFailedClusters, message,
                createdAt, updatedAt, finishedAt, counts, currentWave, waves, only, startAt, waitingFor, pendingGate, gateRole, waitUntil, gates,
                followSelector, strategyName);
    }

    /** The list form: counts only, without the clusters. */
    public static RolloutView summary(RolloutSummary summary) {
        Rollout r = summary.rollout();
        List<Wave> waves = summary.waves();
        List<WaveProgress> waveProgress = new ArrayList<>();
        for (int i = 0; i < waves.size(); i++) {
            waveProgress.add(wave(waves.get(i), present(summary.tally().byWave().getOrDefault(i + 1, Map.of()))));
        }
        return new RolloutView(r.id, r.state, r.product, r.targetVersion, r.selector, r.maxParallel,
                r.maxFailedClusters, r.message, r.createdAt, r.updatedAt, r.finishedAt,
                present(summary.tally().byState()), waves.get(r.currentWave - 1).name(), waveProgress, null, r.startAt,
                waitingFor(r), r.pendingGate, gateRole(r), r.waitUntil, gates(r), r.followSelector, r.strategyName);
    }

    private static WaveProgress wave(Wave wave, Map<ClusterPlanState, Integer> counts) {
        return new WaveProgress(wave.name(), wave.pauseAfter(), counts, wave.maxParallel(), wave.maxFailed(),
                wave.waitAfter());
    }

    private static String waitingFor(Rollout r) {
        return r.pendingGate != null ? "gate" : r.waitUntil != null ? "soak" : null;
    }

    private static String gateRole(Rollout r) {
        return r.pendingGate == null ? null : r.gates.stream().filter(g -> g.key().equals(r.pendingGate))
                .map(Gate::role).findFirst().orElse(null);
    }

    private static List<GateProgress> gates(Rollout r) {
        return r.gates.stream().map(g -> new GateProgress(g.when(), g.wave(), g.role(),
                r.passed.contains(g.key()) ? "PASSED" : g.key().equals(r.pendingGate) ? "PENDING" : "AHEAD"))
                .toList();
    }

    /** The states some cluster is in, in declaration order, as the full view counts them. */
    private static Map<ClusterPlanState, Integer> present(Map<ClusterPlanState, Long> counts) {
        Map<ClusterPlanState, Integer> present = new LinkedHashMap<>();
        for (ClusterPlanState state : ClusterPlanState.values()) {
            long n = counts.getOrDefault(state, 0L);
            if (n > 0) {
                present.put(state, (int) n);
            }
        }
        return present;
    }
}
