package io.stepwise.model;

/** What a step does (docs/planning-rules.md, "Step vocabulary"). A step whose kind {@link #isHop() is a hop} carries a toVersion. */
public enum StepKind {
    /** Take a full backup and wait until it is complete. Param {@code backupId}. */
    BACKUP,
    /** Restore a named earlier backup and wait until it is complete. Param {@code backupId}. */
    RESTORE,
    /** Move the cluster up to toVersion (rolling where the product allows). */
    UPGRADE,
    /** Move the cluster down to toVersion. */
    DOWNGRADE,
    /** Weaviate hop from 1.24.x or lower into 1.25.x with the one-time Raft metadata migration. */
    RAFT_MIGRATION,
    /** Weaviate {@code POST /v1/cluster/schema-v1} before going below 1.25. */
    SCHEMA_DOWNGRADE,
    /** Poll {@code /v1/cluster/statistics} until node count and {@code synchronized} match. Params {@code expectedNodes}, {@code timeoutSeconds}. */
    SYNC_CHECK,
    /** Every node healthy and reporting exactly toVersion. */
    VERIFY,
    /** Pachyderm {@code pachctl extract}. Param {@code noObjects}. */
    EXTRACT,
    /** Pachyderm {@code pachctl undeploy}. */
    UNDEPLOY,
    /** Pachyderm deploy of toVersion on a fresh metadata store, client updated to match. */
    DEPLOY,
    /** Stop until a person approves through the API. Param {@code reason}. */
    MANUAL_APPROVAL;

    /** True for the kinds that change the cluster's version: they carry a toVersion and make up the plan's path. */
    public boolean isHop() {
        return this == UPGRADE || this == DOWNGRADE || this == RAFT_MIGRATION || this == DEPLOY;
    }
}
