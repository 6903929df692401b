package io.stepwise.model;

/**
 * Why a cluster of a rollout is not upgraded: the planning refusals of docs/planning-rules.md ("Refusal codes"),
 * and {@link #CLUSTER_BUSY}, which is no planning rule: another unfinished rollout holds the cluster.
 */
public enum RefusalCode {
    INVALID_VERSION,
    UNKNOWN_VERSION,
    BLOCKED_VERSION,
    PRODUCT_MISMATCH,
    DOWNGRADE_BLOCKED,
    UNSUPPORTED_PATH,
    PRECONDITION_FAILED,
    CLUSTER_BUSY
}
