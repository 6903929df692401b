package io.stepwise.planner.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.mutiny.Multi;
import io.stepwise.model.StepState;
import io.stepwise.planner.config.OrchestrationConfig;
import io.stepwise.planner.domain.NotFoundException;
import io.stepwise.planner.domain.Rollout;
import io.stepwise.planner.domain.RolloutCluster;
import io.stepwise.planner.domain.RolloutStep;
import io.stepwise.planner.persistence.RolloutClusterRepository;
import io.stepwise.planner.persistence.RolloutRepository;
import io.stepwise.planner.persistence.RolloutStepRepository;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * What a watcher of one rollout has not seen yet. It reads the database rather than listening to this
 * instance's events, so a watch shows every change whichever planner instance applied it.
 */
@ApplicationScoped
public class RolloutWatch {

    /** Up to this many changed clusters, they and their steps are read by name; beyond, the whole rollout is read. */
    static final int MAX_NAMED_CLUSTERS = 1_000;

    /** Where one watcher is: the rollout's last update it was sent, and each cluster's last sent state. */
    static final class Cursor {
        private final String rolloutId;
        /** The watcher wants the counts only, never clusters (nor the per-cluster comparison). */
        private final boolean countsOnly;
        private Instant updatedAt;
        private final Map<String, String> clusters = new HashMap<>();
        /** The view of the finished rollout was sent: nothing will change any more. */
        private boolean finished;

        Cursor(String rolloutId, boolean countsOnly) {
            this.rolloutId = rolloutId;
            this.countsOnly = countsOnly;
        }
    }

    private final RolloutRepository rollouts;
    private final RolloutClusterRepository clusters;
    private final RolloutStepRepository steps;
    private final Duration interval;
    /** Looks for changes on behalf of every open watch (one query a second each), off the event loop. */
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rollout-watch");
        t.setDaemon(true);
        return t;
    });

    public RolloutWatch(RolloutRepository rollouts, RolloutClusterRepository clusters, RolloutStepRepository steps,
                        OrchestrationConfig config) {
        this.rollouts = rollouts;
        this.clusters = clusters;
        this.steps = steps;
        this.interval = config.watchInterval();
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }

    /**
     * The rollout as it changes: first whole, then with only the clusters that changed, ending after the view of
     * the finished rollout; with {@code countsOnly}, the counts whenever the rollout changed, without clusters. An
     * unknown rollout is refused at once, not answered with an empty stream.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Multi<RolloutChange> follow(String rolloutId, boolean countsOnly) {
        if (rolloutId == null || rollouts.findById(rolloutId) == null) {
            throw new NotFoundException("no rollout '" + rolloutId + "'");
        }
        Cursor cursor = new Cursor(rolloutId, countsOnly);
        return Multi.createFrom().emitter(emitter -> {
            ScheduledFuture<?> task = timer.scheduleWithFixedDelay(() -> {
                try {
                    RolloutChange changes = QuarkusTransaction.requiringNew().call(() -> next(cursor));
                    if (changes != null) {
                        emitter.emit(changes);
                    }
                    if (cursor.finished) {
                        emitter.complete();
                    }
                } catch (RuntimeException e) {
                    emitter.fail(e);
                }
            }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
            emitter.onTermination(() -> task.cancel(false));
        });
    }

    /**
     * The rollout with the clusters that changed since the cursor's last call (all of them the first time), or
     * null when nothing changed. Runs inside the caller's transaction. Only the changed clusters are loaded: the
     * others are compared by a few columns, and the counts come from a count query.
     */
    RolloutChange next(Cursor cursor) {
        Rollout rollout = rollouts.findById(cursor.rolloutId);
        if (rollout == null || Objects.equals(rollout.updatedAt, cursor.updatedAt)) {
            return null;
        }
        cursor.updatedAt = rollout.updatedAt;
        if (cursor.countsOnly) {
            cursor.finished = rollout.finishedAt != null;
            return new RolloutChange(summaryOf(rollout), null, null);
        }
        // a running step's progress changes the step, not its cluster: look at the steps in flight too
        Map<String, String> inFlight = new HashMap<>();
        steps.list("rolloutId = ?1 and state in ?2", rollout.id, List.of(StepState.DISPATCHED, StepState.RUNNING))
                .forEach(s -> inFlight.put(s.clusterId, s.seq + "|" + s.state + "|" + s.message));
        List<String[]> signatures = clusters.signatures(rollout.id);
        Set<String> changed = new HashSet<>();
        for (String[] cluster : signatures) {
            String signature = cluster[1] + "|" + inFlight.get(cluster[0]);
            if (!signature.equals(cursor.clusters.put(cluster[0], signature))) {
                changed.add(cluster[0]);
            }
        }
        cursor.finished = rollout.finishedAt != null;
        List<RolloutCluster> changedClusters = changed.isEmpty() ? List.of()
                : readWholeRollout(changed.size(), signatures.size())
                        ? clusters.ofRollout(rollout.id).stream().filter(c -> changed.contains(c.clusterId())).toList()
                        : clusters.named(rollout.id, changed);
        List<RolloutStep> changedSteps = stepsOf(rollout.id, changed, signatures.size());
        return new RolloutChange(summaryOf(rollout), changedClusters, changedSteps);
    }

    private RolloutSummary summaryOf(Rollout rollout) {
        return new RolloutSummary(rollout, List.copyOf(rollout.waves), clusters.tally(rollout.id));
    }

    /**
     * Whether the rows of this many changed clusters, out of the rollout's {@code clusterCount}, are read as the whole
     * rollout's rather than named one by one: all of them (the first frame), or so many that naming them would near
     * the cap Postgres's wire protocol puts on a statement's parameters (65,535).
     */
    private static boolean readWholeRollout(int changed, int clusterCount) {
        return changed == clusterCount || changed > MAX_NAMED_CLUSTERS;
    }

    /** The steps of these clusters, out of the rollout's {@code clusterCount}. */
    private List<RolloutStep> stepsOf(String rolloutId, Set<String> clusterIds, int clusterCount) {
        if (clusterIds.isEmpty()) {
            return List.of();
        }
        if (readWholeRollout(clusterIds.size(), clusterCount)) {
            return steps.ofRollout(rolloutId).stream().filter(s -> clusterIds.contains(s.clusterId)).toList();
        }
        return steps.list("rolloutId = ?1 and clusterId in ?2 order by clusterId, seq", rolloutId, clusterIds);
    }
}
