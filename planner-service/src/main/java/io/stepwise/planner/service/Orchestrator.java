package io.stepwise.planner.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.stepwise.model.ClusterConnection;
import io.stepwise.model.ClusterPlanState;
import io.stepwise.model.LifecycleEvent;
import io.stepwise.model.Product;
import io.stepwise.model.RolloutState;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import io.stepwise.model.StepState;
import io.stepwise.model.StepStatus;
import io.stepwise.model.Topics;
import io.stepwise.outbox.Outbox;
import io.stepwise.planner.domain.Cluster;
import io.stepwise.planner.domain.Rollout;
import io.stepwise.planner.domain.RolloutCluster;
import io.stepwise.planner.domain.RolloutStep;
import io.stepwise.planner.domain.Wave;
import io.stepwise.planner.persistence.ClusterRepository;
import io.stepwise.planner.persistence.RolloutClusterRepository;
import io.stepwise.planner.persistence.RolloutClusterRepository.Progress;
import io.stepwise.planner.persistence.RolloutRepository;
import io.stepwise.planner.persistence.RolloutStepRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Moves rollouts forward. Every method runs inside a transaction that holds the rollout's row lock, so
 * decisions about one rollout (capacity, failure policy, pause) never race, and every state change, its audit
 * entry and its outgoing events commit together.
 *
 * <p>Rules: a cluster's step N+1 is dispatched only after step N succeeded; a failed step halts its cluster;
 * new clusters start while fewer than {@code maxParallel} run and the rollout is RUNNING, only from the current
 * wave, and the next wave starts once every cluster of the current one ended (pausing first if it asks to); the
 * rollout stops releasing clusters once {@code maxFailedClusters} failed.
 */
@ApplicationScoped
public class Orchestrator {

    public static final String PLANNER = "planner";

    private final RolloutRepository rollouts;
    private final RolloutClusterRepository clusters;
    private final RolloutStepRepository steps;
    private final ClusterRepository inventory;
    private final AuditTrail audit;
    private final Outbox outbox;
    private final ObjectMapper json;
    private final RolloutMetrics metrics;

    public Orchestrator(RolloutRepository rollouts, RolloutClusterRepository clusters, RolloutStepRepository steps,
                        ClusterRepository inventory, AuditTrail audit, Outbox outbox, ObjectMapper json,
                        RolloutMetrics metrics) {
        this.metrics = metrics;
        this.rollouts = rollouts;
        this.clusters = clusters;
        this.steps = steps;
        this.inventory = inventory;
        this.audit = audit;
        this.outbox = outbox;
        this.json = json;
    }

    public Rollout lock(String rolloutId) {
        return rollouts.findById(rolloutId, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * Locks the rollouts these status events are about, in id order, before any of them is applied: two planners
     * applying polls that share rollouts never wait on each other in a cycle, and everything {@link #onStatus}
     * reads is read under the lock (the lock lasts until the transaction ends).
     */
    public void lockRollouts(List<StepStatus> statuses) {
        statuses.stream().map(StepStatus::rolloutId).filter(Objects::nonNull).distinct().sorted().forEach(this::lock);
    }

    /**
     * Events of one rollout from which {@link #loadTogether} loads their rows together: for fewer, finding each row
     * by id is quicker (measured in the planner's test JVM: a one-event poll took ~15 % longer with the load, a poll
     * of 20 ~15 % less).
     */
    static final int LOAD_TOGETHER_FROM = 3;

    /**
     * For each rollout with several of these events, loads the steps they are about and the steps they may move on
     * to in one query, and their clusters in another, instead of two or three queries per event.
     */
    public void loadTogether(List<StepStatus> statuses) {
        statuses.stream().filter(s -> s.rolloutId() != null && s.clusterId() != null)
                .collect(Collectors.groupingBy(StepStatus::rolloutId))
                .forEach((rolloutId, ofRollout) -> {
                    if (ofRollout.size() >= LOAD_TOGETHER_FROM) {
                        Set<String> ids = new HashSet<>();
                        Set<String> clusterIds = new HashSet<>();
                        for (StepStatus status : ofRollout) {
                            ids.add(status.stepId());
                            ids.add(RolloutStep.idOf(rolloutId, status.clusterId(), status.seq() + 1));
                            clusterIds.add(status.clusterId());
                        }
                        steps.load(ids);
                        clusters.load(rolloutId, clusterIds);
                    }
                });
    }

    /** Applies one status event from the executor; answers false when it was stale or unknown. */
    @Transactional
    public boolean onStatus(StepStatus status, String actor) {
        Set<Rollout> clusterEnded = new HashSet<>();
        boolean applied = onStatus(status, actor, clusterEnded);
        clusterEnded.forEach(rollout -> moveOn(rollout, actor));
        return applied;
    }

    /**
     * Applies one status event as {@link #onStatus(StepStatus, String)} does, but when it ends a cluster, only adds
     * the rollout to {@code clusterEnded}: the caller moves those rollouts on ({@link #moveOn}) once it applied the
     * rest of its events, once per rollout rather than once per cluster that ended (each time a count, a query for
     * the waiting clusters and a flush of everything applied so far).
     */
    @Transactional
    boolean onStatus(StepStatus status, String actor, Set<Rollout> clusterEnded) {
        RolloutStep probe = steps.findById(status.stepId());
        if (probe == null) {
            Log.warnf("Status for unknown step %s ignored", status.stepId());
            return false;
        }
        Rollout rollout = lock(probe.rolloutId);
        RolloutStep step = steps.findById(status.stepId());
        if (status.attempt() != step.attempts || step.state.isTerminal()) {
            audit.append(rollout, actor, "step.status.ignored", step.clusterId, step.seq, Map.of(
                    "state", String.valueOf(status.state()), "attempt", status.attempt(),
                    "why", step.state.isTerminal() ? "step already " + step.state : "stale attempt"));
            return false;
        }
        Instant now = Instant.now();
        switch (status.state()) {
            case RUNNING -> {
                if (step.startedAt == null) {
                    step.startedAt = status.at() == null ? now : status.at();
                    audit.append(rollout, actor, "step.started", step.clusterId, step.seq, details(status));
                }
                step.state = StepState.RUNNING;
                step.message = status.message();
            }
            case SUCCEEDED -> {
                finishStep(step, StepState.SUCCEEDED, status, now);
                metrics.finished(step.kind, StepState.SUCCEEDED, step.startedAt, step.finishedAt);
                audit.append(rollout, actor, "step.succeeded", step.clusterId, step.seq, details(status));
                RolloutCluster cluster = clusters.find(step.rolloutId, step.clusterId);
                recordVerifiedVersion(step, cluster);
                if (advanceCluster(rollout, cluster, actor)) {
                    clusterEnded.add(rollout);
                }
            }
            case FAILED -> {
                finishStep(step, StepState.FAILED, status, now);
                metrics.finished(step.kind, StepState.FAILED, step.startedAt, step.finishedAt);
                step.error = status.message();
                audit.append(rollout, actor, "step.failed", step.clusterId, step.seq, details(status));
                failCluster(rollout, clusters.find(step.rolloutId, step.clusterId),
                        "step " + step.seq + " (" + step.kind + ") failed: " + status.message(), actor);
                clusterEnded.add(rollout);
            }
            default -> Log.debugf("Status %s of step %s needs no action", status.state(), step.stepId);
        }
        rollout.updatedAt = now;
        return true;
    }

    /** After a step of the cluster succeeded: dispatch its next step, or finish it. */
    void advance(Rollout rollout, RolloutCluster cluster, String actor) {
        if (advanceCluster(rollout, cluster, actor)) {
            moveOn(rollout, actor);
        }
    }

    /**
     * Dispatches the cluster's next step, or finishes it; answers whether the cluster ended. Only a cluster that
     * ended frees a place or can end the rollout, so only then is the rollout to be moved on ({@link #moveOn}); a
     * step that leads to the next one changes neither, so the common path skips the count.
     */
    private boolean advanceCluster(Rollout rollout, RolloutCluster cluster, String actor) {
        Optional<RolloutStep> next = nextStep(cluster);
        if (rollout.state.isTerminal()) {
            halt(rollout, cluster, ClusterPlanState.CANCELLED, "stopped: the rollout is " + rollout.state, actor);
        } else if (next.isEmpty()) {
            completeCluster(rollout, cluster, actor);
        } else if (rollout.state == RolloutState.RUNNING) {
            dispatch(rollout, cluster, next.get(), actor);
        }
        // PAUSED: the next step waits for resume.
        return cluster.state.isTerminal();
    }

    /**
     * After clusters ended, or the rollout started or resumed: enters the next wave once the current one ended,
     * starts waiting clusters while fewer than maxParallel run, and finishes the rollout once every cluster ended.
     * One query answers all three.
     */
    void moveOn(Rollout rollout, String actor) {
        Progress progress = clusters.progress(rollout.id);
        if (rollout.state == RolloutState.RUNNING && enterNextWaveIfDue(rollout, progress.lowestOpenWave(), actor)) {
            startWaiting(rollout, progress.active(), actor);
        }
        // Clusters started just now make the answer stale, but only when some were waiting: then it is not done.
        finishIfDone(rollout, progress, actor);
    }

    /** Starts waiting clusters of the current wave while fewer than maxParallel run. */
    private void startWaiting(Rollout rollout, long active, String actor) {
        if (active >= rollout.maxParallel) {
            return;
        }
        for (RolloutCluster waiting : clusters.firstWaiting(rollout.id, rollout.currentWave,
                (int) (rollout.maxParallel - active))) {
            waiting.state = ClusterPlanState.RUNNING;
            waiting.startedAt = Instant.now();
            lifecycle(rollout, waiting.clusterId(), LifecycleEvent.CLUSTER_STARTED, "RUNNING",
                    waiting.fromVersion + " → " + waiting.toVersion);
            audit.append(rollout, actor, "cluster.started", waiting.clusterId(), null, Map.of());
            dispatch(rollout, waiting, nextStep(waiting).orElseThrow(), actor);
            active++;
        }
    }

    /**
     * Moves on to the next wave once every cluster of the current one has ended (waves whose clusters all ended
     * before they started, e.g. all at target, are passed over). Answers false when the rollout pauses there
     * because the wave that ended asked for it ({@code pauseAfter}); resuming starts the next wave.
     */
    private boolean enterNextWaveIfDue(Rollout rollout, Integer open, String actor) {
        if (open == null || open <= rollout.currentWave) {
            return true;
        }
        List<Wave> waves = rollout.waves;
        Wave ended = waves.get(rollout.currentWave - 1);
        Wave next = waves.get(open - 1);
        rollout.currentWave = open;
        audit.append(rollout, actor, "wave.finished", null, null, Map.of("wave", ended.name(), "next", next.name()));
        if (ended.pauseAfter()) {
            rollout.state = RolloutState.PAUSED;
            rollout.message = "wave '" + ended.name() + "' has finished; resume to start wave '" + next.name() + "'";
            audit.append(rollout, actor, "rollout.paused", null, null, Map.of("reason", rollout.message));
            lifecycle(rollout, null, LifecycleEvent.ROLLOUT_PAUSED, RolloutState.PAUSED.name(), rollout.message);
            return false;
        }
        return true;
    }

    /** Resumes clusters whose last step succeeded while the rollout was paused. */
    void dispatchWaitingNextSteps(Rollout rollout, String actor) {
        for (RolloutCluster running : clusters.inState(rollout.id, ClusterPlanState.RUNNING)) {
            RolloutStep current = running.currentSeq == 0 ? null
                    : steps.find(rollout.id, running.clusterId(), running.currentSeq);
            if (current == null || current.state == StepState.SUCCEEDED) {
                nextStep(running).ifPresent(next -> dispatch(rollout, running, next, actor));
            }
        }
    }

    /** Sends one step to the executor (through the outbox), or stops the cluster at a manual gate. */
    void dispatch(Rollout rollout, RolloutCluster cluster, RolloutStep step, String actor) {
        cluster.currentSeq = step.seq;
        step.attempts++;
        step.dispatchedAt = Instant.now();
        if (step.kind == StepKind.MANUAL_APPROVAL) {
            step.state = StepState.RUNNING;
            step.startedAt = step.dispatchedAt;
            cluster.state = ClusterPlanState.AWAITING_APPROVAL;
            cluster.message = "waiting for approval: " + step.reason;
            audit.append(rollout, actor, "approval.requested", cluster.clusterId(), step.seq,
                    Map.of("reason", step.reason));
            return;
        }
        step.state = StepState.DISPATCHED;
        StepRequested request = new StepRequested(step.stepId, rollout.id, cluster.clusterId(), step.seq, step.attempts,
                Product.fromId(rollout.product).orElseThrow(), step.kind, step.toVersion, readParams(step.params),
                readConnection(cluster.connection));
        outbox.publish(Topics.STEPS, cluster.clusterId(), StepRequested.TYPE, step.stepId, request);
        metrics.dispatched(step.kind);
        audit.append(rollout, actor, "step.dispatched", cluster.clusterId(), step.seq, Map.of(
                "kind", step.kind.name(), "toVersion", String.valueOf(step.toVersion), "attempt", step.attempts));
    }

    /** Halts a cluster whose step failed, and stops the rollout if the failure policy says so (then move it on). */
    private void failCluster(Rollout rollout, RolloutCluster cluster, String why, String actor) {
        halt(rollout, cluster, ClusterPlanState.FAILED, why, actor);
        long failed = clusters.countIn(rollout.id, ClusterPlanState.FAILED);
        if (!rollout.state.isTerminal() && failed >= rollout.maxFailedClusters) {
            stop(rollout, RolloutState.FAILED, failed + " cluster(s) failed, the failure policy allows "
                    + rollout.maxFailedClusters + ": no further clusters are started", actor);
        }
    }

    /** Ends the rollout early: nothing new starts; clusters with a step in flight halt when it ends. */
    void stop(Rollout rollout, RolloutState state, String why, String actor) {
        rollout.state = state;
        rollout.message = why;
        audit.append(rollout, actor, "rollout." + state.name().toLowerCase(), null, null, Map.of("reason", why));
        for (RolloutCluster c : clusters.ofRollout(rollout.id)) {
            if (c.state == ClusterPlanState.WAITING) {
                halt(rollout, c, ClusterPlanState.CANCELLED, "not started: " + why, actor);
            } else if ((c.state == ClusterPlanState.RUNNING || c.state == ClusterPlanState.AWAITING_APPROVAL)
                    && !inFlight(c)) {
                halt(rollout, c, ClusterPlanState.CANCELLED, "stopped before its next step: " + why, actor);
            }
        }
        finishIfDone(rollout, clusters.progress(rollout.id), actor);
    }

    /** Finishes the rollout once every cluster ended (counts, not a load: rollouts have thousands of clusters). */
    private void finishIfDone(Rollout rollout, Progress progress, String actor) {
        if (rollout.finishedAt != null || !progress.allEnded()) {
            return;
        }
        Map<ClusterPlanState, Long> counts = clusters.tally(rollout.id).byState();
        String summary = summary(counts);
        if (!rollout.state.isTerminal()) {
            // CANCELLED clusters here are those an earlier stop cancelled before a retry reopened the rollout
            rollout.state = counts.get(ClusterPlanState.FAILED) + counts.get(ClusterPlanState.CANCELLED) > 0
                    ? RolloutState.FAILED : RolloutState.SUCCEEDED;
            if (rollout.message == null) {
                rollout.message = summary;
            }
        }
        rollout.finishedAt = Instant.now();
        audit.append(rollout, actor, "rollout.finished", null, null, Map.of("state", rollout.state.name(),
                "summary", summary));
        lifecycle(rollout, null, LifecycleEvent.ROLLOUT_FINISHED, rollout.state.name(), summary);
    }

    private void completeCluster(Rollout rollout, RolloutCluster cluster, String actor) {
        cluster.state = ClusterPlanState.SUCCEEDED;
        cluster.finishedAt = Instant.now();
        cluster.message = "at " + cluster.toVersion;
        audit.append(rollout, actor, "cluster.succeeded", cluster.clusterId(), null, Map.of("version",
                String.valueOf(cluster.toVersion)));
        lifecycle(rollout, cluster.clusterId(), LifecycleEvent.CLUSTER_SUCCEEDED, "SUCCEEDED", cluster.message);
    }

    private void halt(Rollout rollout, RolloutCluster cluster, ClusterPlanState state, String why, String actor) {
        if (cluster.state.isTerminal()) {
            return;
        }
        cluster.state = state;
        cluster.message = why;
        cluster.finishedAt = Instant.now();
        audit.append(rollout, actor, "cluster." + state.name().toLowerCase(), cluster.clusterId(), null,
                Map.of("reason", why));
        lifecycle(rollout, cluster.clusterId(), state == ClusterPlanState.FAILED ? LifecycleEvent.CLUSTER_FAILED
                : "io.stepwise.cluster.cancelled", state.name(), why);
    }

    void lifecycle(Rollout rollout, String clusterId, String type, String state, String message) {
        outbox.publish(Topics.ROLLOUTS, clusterId == null ? rollout.id : clusterId, type, rollout.id,
                new LifecycleEvent(type, rollout.id, clusterId, state, message, Instant.now()));
    }

    boolean inFlight(RolloutCluster cluster) {
        if (cluster.currentSeq == 0) {
            return false;
        }
        RolloutStep current = steps.find(cluster.rolloutId(), cluster.clusterId(), cluster.currentSeq);
        return current.state == StepState.DISPATCHED
                || (current.state == StepState.RUNNING && current.kind != StepKind.MANUAL_APPROVAL);
    }

    Optional<RolloutStep> nextStep(RolloutCluster cluster) {
        return Optional.ofNullable(steps.find(cluster.rolloutId(), cluster.clusterId(), cluster.currentSeq + 1));
    }

    /** A verified hop is a fact about the cluster: keep the inventory true even if the rollout stops later. */
    private void recordVerifiedVersion(RolloutStep step, RolloutCluster cluster) {
        if (step.kind == StepKind.VERIFY && step.toVersion != null) {
            Cluster registered = inventory.findById(cluster.clusterId());
            if (registered != null) {
                registered.version = step.toVersion;
                registered.updatedAt = Instant.now();
            }
        }
    }

    private static void finishStep(RolloutStep step, StepState state, StepStatus status, Instant now) {
        step.state = state;
        step.message = status.message();
        step.finishedAt = status.at() == null ? now : status.at();
        if (step.startedAt == null) {
            step.startedAt = step.finishedAt;
        }
    }

    private static Map<String, Object> details(StepStatus status) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("attempt", status.attempt());
        details.put("state", String.valueOf(status.state()));
        if (status.observedVersion() != null) {
            details.put("observedVersion", status.observedVersion());
        }
        if (status.message() != null) {
            details.put("message", status.message());
        }
        return details;
    }

    /** "12 clusters: 10 succeeded, 2 failed" (states in declaration order, empty ones left out). */
    static String summary(Map<ClusterPlanState, Long> counts) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        return total + " clusters: " + String.join(", ", counts.entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase()).toList());
    }

    private Map<String, Object> readParams(String text) {
        try {
            return json.readValue(text, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored step params cannot be read", e);
        }
    }

    private ClusterConnection readConnection(String text) {
        try {
            return text == null ? null : json.readValue(text, ClusterConnection.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored cluster connection cannot be read", e);
        }
    }
}
