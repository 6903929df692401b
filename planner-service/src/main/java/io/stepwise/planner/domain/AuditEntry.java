package io.stepwise.planner.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import org.hibernate.annotations.Immutable;

/**
 * One row of a rollout's append-only audit trail; {@code hash} covers the row and the previous row's hash.
 * Immutable: Hibernate never updates it, and skips it when it checks a transaction's entities for changes
 * (a status batch appends hundreds, and each query of the batch would otherwise check them all again).
 */
@Entity
@Immutable
@Table(name = "audit_entry")
public class AuditEntry {

    @Embeddable
    public record Key(@Column(name = "rollout_id") String rolloutId, @Column(name = "seq") int seq)
            implements Serializable {
    }

    @EmbeddedId
    public Key key;

    @Column(nullable = false)
    public Instant at;

    @Column(nullable = false)
    public String actor;

    @Column(nullable = false)
    public String type;

    @Column(name = "cluster_id")
    public String clusterId;

    @Column(name = "step_seq")
    public Integer stepSeq;

    @Column(nullable = false)
    public String details;

    @Column(name = "prev_hash", nullable = false)
    public String prevHash;

    @Column(nullable = false)
    public String hash;
}
