package io.stepwise.planner.domain;

import io.stepwise.model.StepKind;
import io.stepwise.model.StepState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One step of a cluster's plan in a rollout. {@code stepId} stays the same across attempts. */
@Entity
@Table(name = "rollout_step")
public class RolloutStep {

    @Id
    @Column(name = "step_id")
    public String stepId;

    @Column(name = "rollout_id", nullable = false)
    public String rolloutId;

    @Column(name = "cluster_id", nullable = false)
    public String clusterId;

    @Column(nullable = false)
    public int seq;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public StepKind kind;

    @Column(name = "to_version")
    public String toVersion;

    @Column(nullable = false)
    public String rule;

    @Column(nullable = false)
    public String reason;

    /** The step's parameters as a JSON object. */
    @Column(nullable = false)
    public String params;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public StepState state;

    @Column(nullable = false)
    public int attempts;

    /** The latest progress the executor reported, for people. */
    public String message;

    public String error;

    @Column(name = "dispatched_at")
    public Instant dispatchedAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** The segment this step belongs to (a run that must go on to its end once begun), or null. */
    public String segment;

    /** The version every node must run before the step first starts, or null when nothing is checked. */
    @Column(name = "preflight_version")
    public String preflightVersion;

    /** When the executor last reported on this step (any status, heartbeats included). */
    @Column(name = "last_status_at")
    public Instant lastStatusAt;

    /** Why the step failed, for programs ({@code PRECONDITION_FAILED}, {@code CANCELLED}, {@code TIMED_OUT}). */
    @Column(name = "error_code")
    public String errorCode;

    /** The latest attempt the executor reported ended. */
    @Column(name = "ended_attempt", nullable = false)
    public int endedAttempt;

    /** When a retry was asked for that waits for the attempt before it to end; null when none waits. */
    @Column(name = "retry_queued_at")
    public Instant retryQueuedAt;

    public static String idOf(String rolloutId, String clusterId, int seq) {
        return rolloutId + ":" + clusterId + ":" + seq;
    }
}
