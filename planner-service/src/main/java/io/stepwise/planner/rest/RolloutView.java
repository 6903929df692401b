package io.stepwise.planner.rest;

import io.stepwise.model.ClusterPlanState;
import io.stepwise.model.RolloutState;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepState;
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
                          List<ClusterProgress> clusters) {

    /** A wave, in order: its clusters by state, and whether the rollout pauses once it has ended. */
    public record WaveProgress(String name, boolean pauseAfter, Map<ClusterPlanState, Integer> counts) {
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
            waveProgress.add(new WaveProgress(waves.get(i).name(), waves.get(i).pauseAfter(), waveCounts.get(i)));
        }
        Rollout r = detail.rollout();
        return new RolloutView(r.id, r.state, r.product, r.targetVersion, r.selector, r.maxParallel,
                r.maxFailedClusters, r.message, r.createdAt, r.updatedAt, r.finishedAt, counts,
                waves.get(r.currentWave - 1).name(), waveProgress,
                clusters(waves, detail.clusters(), detail.steps()));
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
                createdAt, updatedAt, finishedAt, counts, currentWave, waves, only);
    }

    /** The list form: counts only, without the clusters. */
    public static RolloutView summary(RolloutSummary summary) {
        Rollout r = summary.rollout();
        List<Wave> waves = summary.waves();
        List<WaveProgress> waveProgress = new ArrayList<>();
        for (int i = 0; i < waves.size(); i++) {
            waveProgress.add(new WaveProgress(waves.get(i).name(), waves.get(i).pauseAfter(),
                    present(summary.tally().byWave().getOrDefault(i + 1, Map.of()))));
        }
        return new RolloutView(r.id, r.state, r.product, r.targetVersion, r.selector, r.maxParallel,
                r.maxFailedClusters, r.message, r.createdAt, r.updatedAt, r.finishedAt,
                present(summary.tally().byState()), waves.get(r.currentWave - 1).name(), waveProgress, null);
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
