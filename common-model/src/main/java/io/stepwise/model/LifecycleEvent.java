package io.stepwise.model;

import java.time.Instant;

/**
 * Data of the events on {@link Topics#ROLLOUTS}: the lifecycle of a rollout ({@code io.stepwise.rollout.*})
 * and of each cluster in it ({@code io.stepwise.cluster.*}). {@code clusterId} is null for rollout events;
 * {@code actor} is who caused the change: a person (the subject of their token), "executor" or "planner".
 */
public record LifecycleEvent(
        String type,
        String rolloutId,
        String clusterId,
        String state,
        String message,
        Instant at,
        String actor) {

    public static final String ROLLOUT_STARTED = "io.stepwise.rollout.started";
    public static final String ROLLOUT_PAUSED = "io.stepwise.rollout.paused";
    public static final String ROLLOUT_RESUMED = "io.stepwise.rollout.resumed";
    public static final String ROLLOUT_FINISHED = "io.stepwise.rollout.finished";
    public static final String ROLLOUT_SCHEDULED = "io.stepwise.rollout.scheduled";
    /** A wave ended and the next waits out its soak ({@code waitAfter}); the message says until when. */
    public static final String ROLLOUT_WAITING = "io.stepwise.rollout.waiting";
    /** A gate before or after a wave waits for a person with the gate's role; the message names it. */
    public static final String GATE_PENDING = "io.stepwise.gate.pending";
    public static final String GATE_APPROVED = "io.stepwise.gate.approved";
    public static final String CLUSTER_STARTED = "io.stepwise.cluster.started";
    public static final String CLUSTER_SUCCEEDED = "io.stepwise.cluster.succeeded";
    public static final String CLUSTER_FAILED = "io.stepwise.cluster.failed";
    public static final String CLUSTER_CANCELLED = "io.stepwise.cluster.cancelled";
    /** A cluster a rollout will not upgrade further: held (code HELD) at its next safe point. */
    public static final String CLUSTER_SKIPPED = "io.stepwise.cluster.skipped";
}
