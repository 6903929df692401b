package io.stepwise.planner.domain;

import io.stepwise.model.ClusterPlanState;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** One cluster's plan within a rollout. */
@Entity
@Table(name = "rollout_cluster")
public class RolloutCluster {

    @Embeddable
    public record Key(@Column(name = "rollout_id") String rolloutId, @Column(name = "cluster_id") String clusterId)
            implements Serializable {
    }

    @EmbeddedId
    public Key key;

    /** Order in which clusters are released (the order they were selected in). */
    @Column(nullable = false)
    public int position;

    /** The number of the rollout's wave this cluster belongs to (from 1). */
    @Column(nullable = false)
    public int wave = 1;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ClusterPlanState state;

    @Column(name = "from_version")
    public String fromVersion;

    @Column(name = "to_version")
    public String toVersion;

    /** The node count the plan was made for (null when unknown). */
    public Integer nodes;

    /** The seq of the step in flight or last finished; 0 before the first. */
    @Column(name = "current_seq", nullable = false)
    public int currentSeq;

    @Column(name = "refusal_code")
    public String refusalCode;

    public String message;

    /** Why the cluster has not begun its next segment although it may go on (a freeze, no maintenance window). */
    public String deferred;

    /** How the executor reaches the cluster ({@code ClusterConnection} as JSON), frozen when the rollout starts. */
    public String connection;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    public String rolloutId() {
        return key.rolloutId();
    }

    public String clusterId() {
        return key.clusterId();
    }
}
