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
