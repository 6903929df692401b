package io.stepwise.simulator.ledger;

/** Everything a caller can do to a simulated cluster that changes it. */
public enum EffectType {
    CLUSTER_CREATED,
    BACKUP_CREATED,
    BACKUP_CANCELED,
    RESTORE_STARTED,
    RESTORE_CANCELED,
    IMAGE_CHANGED,
    VERSION_CHANGED,
    STATEFULSET_CREATED,
    STATEFULSET_DELETED,
    SCHEMA_V1,
    COLLECTION_DELETED,
    /** Objects of a collection vanished on purpose (admin API), for tests of what catches a loss. */
    OBJECTS_LOST,
    EXTRACT,
    PACHYDERM_RESTORE,
    DEPLOY,
    UNDEPLOY
}
