package io.stepwise.executor.ledger;

import io.quarkus.logging.Log;
import io.stepwise.executor.handler.ProgressReporter;
import io.stepwise.model.StepRequested;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A running step's progress, published to the ledger at most once per interval. A message that comes too soon
 * is held and published when the interval is up, unless a newer one replaces it or the step ends first (the
 * final status says how it ended). So a watcher never sees a message older than the interval, and a handler
 * that reports in a tight loop costs one commit per interval, not one per report.
 */
final class ThrottledProgress implements ProgressReporter {

    private record Pending(String message, String observedVersion) {
    }

    private final StepRequested step;
    private final Ledger ledger;
    private final ScheduledExecutorService timer;
    private final long intervalNanos;
    /** When the last event of the step was published (nanoTime); "started" counts, published just before. */
    private long lastPublished;
    private Pending pending;
    private ScheduledFuture<?> scheduled;
    private boolean closed;

    ThrottledProgress(StepRequested step, Ledger ledger, ScheduledExecutorService timer, Duration interval) {
        this(step, ledger, timer, interval, System.nanoTime());
    }

    /** {@code lastPublished}: when the step's last event went out (nanoTime), e.g. its "started" event. */
    ThrottledProgress(StepRequested step, Ledger ledger, ScheduledExecutorService timer, Duration interval,
                      long lastPublished) {
        this.lastPublished = lastPublished;
        this.step = step;
        this.ledger = ledger;
        this.timer = timer;
        this.intervalNanos = interval.toNanos();
    }

    @Override
    public synchronized void report(String message, String observedVersion) {
        if (closed) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastPublished >= intervalNanos) {
            pending = null;
            publish(message, observedVersion, now);
            return;
        }
        pending = new Pending(message, observedVersion);
        if (scheduled == null) {
            scheduled = timer.schedule(this::publishPending, lastPublished + intervalNanos - now, TimeUnit.NANOSECONDS);
        }
    }

    /** The step ended: what is still held is superseded by its final status. */
    synchronized void close() {
        closed = true;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }

    private synchronized void publishPending() {
        scheduled = null;
        if (!closed && pending != null) {
            Pending held = pending;
            pending = null;
            publish(held.message(), held.observedVersion(), System.nanoTime());
        }
    }

    private void publish(String message, String observedVersion, long now) {
        lastPublished = now;
        try {
            ledger.progress(step, message, observedVersion);
        } catch (RuntimeException e) {
            // Progress is for people watching; losing one must not fail the step (its final status is what counts).
            Log.warnf("progress of step %s could not be recorded: %s", step.stepId(), e.getMessage());
        }
    }
}
