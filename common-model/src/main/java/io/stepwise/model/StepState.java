package io.stepwise.model;

/** Step lifecycle: {@code PENDING → DISPATCHED → RUNNING → SUCCEEDED | FAILED}. A retry is a new attempt of the same step. */
public enum StepState {
    PENDING, DISPATCHED, RUNNING, SUCCEEDED, FAILED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED;
    }
}
