package io.stepwise.planner.service;

import io.stepwise.model.StepState;
import io.stepwise.planner.domain.Rollout;
import io.stepwise.planner.domain.RolloutCluster;
import io.stepwise.planner.domain.RolloutStep;
import io.stepwise.planner.persistence.RolloutClusterRepository;
import io.stepwise.planner.persistence.RolloutRepository;
import io.stepwise.planner.persistence.RolloutStepRepository;
import io.stepwise.planner.rest.RolloutView;
import io.stepwise.planner.rest.View;
import io.stepwise.planner.rest.problem.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.mutiny.Multi;
import io.stepwise.planner.config.OrchestrationConfig;
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
        /** SUMMARY: the watcher wants the counts only, never clusters (nor the per-cluster comparison). */
        private final View view;
        private Instant updatedAt;
        private final Map<String, String> clusters = new HashMap<>();
        /** The view of the finished rollout was sent: nothing will change any more. */
        private boolean finished;

        Cursor(String rolloutId, View view) {
            this.rolloutId = rolloutId;
            this.view = view;
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
     * the finished rollout; in {@link View#SUMMARY}, the counts whenever the rollout changed, without clusters. An
     * unknown rollout is a 404 at once, not an empty stream.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Multi<RolloutView> follow(String rolloutId, View view) {
        if (rolloutId == null || rollouts.findById(rolloutId) == null) {
            throw ProblemException.notFound("no rollout '" + rolloutId + "'");
        }
        Cursor cursor = new Cursor(rolloutId, view);
        return Multi.createFrom().emitter(emitter -> {
            ScheduledFuture<?> task = timer.scheduleWithFixedDelay(() -> {
                try {
                    RolloutView changes = QuarkusTransaction.requiringNew().call(() -> next(cursor));
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
    RolloutView next(Cursor cursor) {
        Rollout rollout = rollouts.findById(cursor.rolloutId);
        if (rollout == null || Objects.equals(rollout.updatedAt, cursor.updatedAt)) {
            return null;
        }
        cursor.updatedAt = rollout.updatedAt;
        if (cursor.view == View.SUMMARY) {
            cursor.finished = rollout.finishedAt != null;
            return RolloutView.summary(rollout, rollout.waves, clusters.tally(rollout.id));
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
        List<RolloutView.ClusterProgress> changedProgress = RolloutView.of(rollout, changedClusters,
                stepsOf(rollout.id, changed, signatures.size())).clusters();
        return RolloutView.summary(rollout, rollout.waves, clusters.tally(rollout.id)).withClusters(changedProgress);
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
