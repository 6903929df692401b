package io.stepwise.model;

/** Rollout lifecycle: {@code PENDING → RUNNING ⇄ PAUSED → SUCCEEDED | FAILED | CANCELLED}. */
public enum RolloutState {
    PENDING, RUNNING, PAUSED, SUCCEEDED, FAILED, CANCELLED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
