package io.stepwise.executor.ledger;

import io.stepwise.model.StepState;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** One accepted step attempt and how it ended. */
@Entity
@Table(name = "step_execution")
public class StepExecution {

    @Embeddable
    public record Key(@Column(name = "step_id") String stepId, @Column(name = "attempt") int attempt)
            implements Serializable {
    }

    @EmbeddedId
    public Key key;

    @Column(name = "rollout_id", nullable = false)
    public String rolloutId;

    @Column(name = "cluster_id", nullable = false)
    public String clusterId;

    @Column(nullable = false)
    public int seq;

    public String kind;

    /** The step request as received (JSON), so a resumed step runs exactly what was asked; null for a cancel that came first. */
    public String request;

    /** PENDING (accepted), RUNNING, SUCCEEDED or FAILED. */
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public StepState state;

    public String message;

    @Column(name = "observed_version")
    public String observedVersion;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** The executor instance that runs or holds the attempt (null: none yet, or from before owners existed). */
    public String owner;

    @Column(name = "lease_until")
    public Instant leaseUntil;

    /** Why the planner asked to stop the attempt, once it did. */
    @Column(name = "cancel_reason")
    public String cancelReason;

    /** The operation the attempt is in that must not stop halfway, while it is. */
    public String critical;

    /** For programs: why a failed attempt failed (PRECONDITION_FAILED, CANCELLED). */
    @Column(name = "error_code")
    public String errorCode;
}
