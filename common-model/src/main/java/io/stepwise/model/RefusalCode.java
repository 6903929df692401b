package io.stepwise.model;

/**
 * Why a cluster of a rollout is not upgraded: the planning refusals of docs/planning-rules.md ("Refusal codes"),
 * and three that are no planning rule: {@link #CLUSTER_BUSY} (another unfinished rollout holds the cluster),
 * {@link #HELD} (someone put a hold on the cluster) and {@link #REMOVED} (deleted from the inventory meanwhile).
 */
public enum RefusalCode {
    INVALID_VERSION,
    UNKNOWN_VERSION,
    BLOCKED_VERSION,
    PRODUCT_MISMATCH,
    DOWNGRADE_BLOCKED,
    UNSUPPORTED_PATH,
    PRECONDITION_FAILED,
    CLUSTER_BUSY,
    HELD,
    REMOVED
}
