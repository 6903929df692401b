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

    public static String idOf(String rolloutId, String clusterId, int seq) {
        return rolloutId + ":" + clusterId + ":" + seq;
    }
}
