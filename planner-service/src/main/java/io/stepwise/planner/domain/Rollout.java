package io.stepwise.planner.domain;

import io.stepwise.model.RolloutState;
import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One request to move selected clusters to a target version, and how far it got. */
@Entity
@Table(name = "rollout")
public class Rollout {

    @Id
    public String id;

    @Column(nullable = false)
    public String product;

    @Column(name = "target_version", nullable = false)
    public String targetVersion;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public RolloutState state;

    public String selector;

    @Column(name = "max_parallel", nullable = false)
    public int maxParallel;

    @Column(name = "max_failed_clusters", nullable = false)
    public int maxFailedClusters;

    /**
     * The waves, in order; a rollout that asked for none has one, "all". Lazy: the rollout is loaded for every status
     * event, and only a wave's end needs them.
     */
    @Basic(fetch = FetchType.LAZY)
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public List<Wave> waves;

    /** The wave whose clusters may start (from 1); the next one starts when every cluster of this one ended. */
    @Column(name = "current_wave", nullable = false)
    public int currentWave = 1;

    /** When a SCHEDULED rollout starts; null: at once. */
    @Column(name = "start_at")
    public Instant startAt;

    @Basic(fetch = FetchType.LAZY)
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public List<Gate> gates = List.of();

    /** The gates passed and soaks ended so far, by key ("after:canary", "soak:canary"). */
    @Basic(fetch = FetchType.LAZY)
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public List<String> passed = new ArrayList<>();

    /** The gate the rollout waits at (its key), or null. */
    @Column(name = "pending_gate")
    public String pendingGate;

    /** The end of the soak the rollout waits out, or null. */
    @Column(name = "wait_until")
    public Instant waitUntil;

    /** Clusters registered later that match the selector join the last wave until the rollout ends. */
    @Column(name = "follow_selector", nullable = false)
    public boolean followSelector;

    /** Whether the clusters are probed before they are planned. */
    @Column(nullable = false)
    public boolean probe;

    /** The saved strategy the rollout was started with, if any. */
    @Column(name = "strategy_name")
    public String strategyName;

    /** The current wave's own limits (null: the rollout's), kept here so moving clusters on never loads the waves. */
    @Column(name = "wave_max_parallel")
    public Integer waveMaxParallel;

    @Column(name = "wave_max_failed")
    public Integer waveMaxFailed;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    @Column(name = "request_hash", nullable = false)
    public String requestHash;

    @Column(nullable = false)
    public String actor;

    /** Why the rollout is where it is (e.g. which failure stopped it), for people. */
    public String message;

    @Column(name = "audit_count", nullable = false)
    public int auditCount;

    /** Hash of the last audit entry: anchors the chain so removing its tail is detected too. */
    @Column(name = "audit_head")
    public String auditHead;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** When every cluster reached an end state and the rollout's finish was announced. */
    @Column(name = "finished_at")
    public Instant finishedAt;
}
