package io.stepwise.model;

/** Why a cluster cannot be planned (docs/planning-rules.md, "Refusal codes"). */
public enum RefusalCode {
    INVALID_VERSION,
    UNKNOWN_VERSION,
    BLOCKED_VERSION,
    PRODUCT_MISMATCH,
    DOWNGRADE_BLOCKED,
    UNSUPPORTED_PATH,
    PRECONDITION_FAILED
}
