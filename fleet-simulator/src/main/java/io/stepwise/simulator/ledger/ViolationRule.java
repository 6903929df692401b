package io.stepwise.simulator.ledger;

/**
 * Rules whose breach the simulator records: the vendors' rules, each named after the planning rule that exists to
 * prevent it (W1–W9 in planner-service's WeaviatePlanner, P1–P6 in its PachydermPlanner), and Stepwise's own
 * guarantee that operations on one cluster do not overlap.
 */
public enum ViolationRule {
    /** W2/W9: a hop skipped a minor, up or down. */
    SKIPPED_MINOR,
    /** W7: a hop into 1.26+ started while the cluster was not synchronized. */
    HOP_WHILE_UNSYNCHRONIZED,
    /** W5: Kubernetes hop from 1.24 or lower into 1.25 on a live StatefulSet (pods never become ready). */
    RAFT_MIGRATION_WITHOUT_STATEFULSET_DELETE,
    /** W9a: multi-node downgrade from 1.28.13+/1.29.5+/1.30.2+ into 1.27 below 1.27.26 (never Ready). */
    RAFT_SNAPSHOT_DOWNGRADE,
    /** W9b: downgrade below 1.25 without {@code POST /v1/cluster/schema-v1} first. */
    DOWNGRADE_WITHOUT_SCHEMA_V1,
    /** W4: a restore onto collections that already exist (restore FAILED, as Weaviate's backup docs say). */
    RESTORE_ONTO_EXISTING_COLLECTIONS,
    /** W4: a restore on a version below 1.23.13 (data corrupted). */
    RESTORE_BELOW_1_23_13,
    /**
     * A backup taken below 1.23 restored on 1.39+ (refused: errLegacyFlatFS in
     * https://github.com/weaviate/weaviate/blob/v1.39.0/usecases/backup/handler.go).
     */
    LEGACY_BACKUP_RESTORE,
    /** P3: pachctl restore into a cluster that is not empty. */
    PACHYDERM_RESTORE_INTO_NON_EMPTY_CLUSTER,
    /**
     * Stepwise's own guarantee, not a vendor's: a mutating operation began on a cluster while another had not ended
     * (a backup or restore before its final status, a version change before every node runs it, a pachctl command
     * before pachd answered it).
     */
    CONCURRENT_OPERATION
}
