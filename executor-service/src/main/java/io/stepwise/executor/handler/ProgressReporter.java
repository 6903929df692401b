package io.stepwise.executor.handler;

import io.quarkus.logging.Log;

/**
 * Where a running handler tells what it sees ("backup TRANSFERRING", "2 of 3 nodes at 1.30.23"), published as
 * {@code io.stepwise.step.progress} events. Implementations must be cheap and must not throw.
 */
@FunctionalInterface
public interface ProgressReporter {

    void report(String message, String observedVersion);

    default void report(String message) {
        report(message, null);
    }

    /** Logs progress only; for callers that have nowhere else to send it. */
    static ProgressReporter logging(String stepId) {
        return (message, version) -> Log.infof("step %s: %s", stepId, message);
    }
}
