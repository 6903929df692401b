package io.stepwise.model;

/** A cluster's plan within a rollout: {@code WAITING → RUNNING → SUCCEEDED | FAILED | SKIPPED | CANCELLED}, with {@code AWAITING_APPROVAL} while a manual gate stands. */
public enum ClusterPlanState {
    WAITING, RUNNING, AWAITING_APPROVAL, SUCCEEDED, FAILED, SKIPPED, CANCELLED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == SKIPPED || this == CANCELLED;
    }
}
