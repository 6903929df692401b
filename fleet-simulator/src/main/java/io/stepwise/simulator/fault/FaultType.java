package io.stepwise.simulator.fault;

/** What can be made to go wrong on a simulated cluster. */
public enum FaultType {
    /** Backups started while the fault stands end FAILED. */
    BACKUP_FAILED,
    /** A node (given, or picked by the seed) is down: UNAVAILABLE in /v1/nodes and statistics. */
    NODE_CRASH,
    /** API calls answer after {@code delayMs}. */
    SLOW_API,
    /** API calls answer {@code status} (default 500) with an ErrorResponse. */
    API_ERROR,
    /** One node's Raft appliedIndex never catches up, so {@code synchronized} stays false. */
    SYNC_NEVER_CONVERGES,
    /**
     * Writes (PUT, PATCH) of the cluster's StatefulSet, not of its status, answer 409 Conflict ("the object has
     * been modified"), as when its controller changed it between a client's read and write.
     */
    KUBERNETES_CONFLICT
}
