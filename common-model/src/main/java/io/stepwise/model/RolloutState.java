package io.stepwise.model;

/**
 * Rollout lifecycle: {@code [SCHEDULED →] PENDING → RUNNING ⇄ PAUSED → SUCCEEDED | FAILED | CANCELLED}; SCHEDULED until
 * its {@code startAt}.
 */
public enum RolloutState {
    SCHEDULED, PENDING, RUNNING, PAUSED, SUCCEEDED, FAILED, CANCELLED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
