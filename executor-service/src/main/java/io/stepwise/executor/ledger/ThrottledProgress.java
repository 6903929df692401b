package io.stepwise.executor.ledger;

import io.quarkus.logging.Log;
import io.stepwise.executor.handler.ProgressReporter;
import io.stepwise.model.StepRequested;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A running step's progress, published at most once per interval: a message that comes too soon is held until the
 * interval is up, unless a newer one replaces it or the step ends first. A watcher never sees a message older than
 * the interval, and a handler reporting in a tight loop costs one commit per interval. A step with no news still
 * gets a heartbeat ({@link #heartbeat}): its latest message again, published by the runner with the others due.
 */
final class ThrottledProgress implements ProgressReporter {

    /** A message to publish. */
    record Pending(String message, String observedVersion) {
    }

    private final StepRequested step;
    private final Ledger ledger;
    private final ScheduledExecutorService timer;
    private final long intervalNanos;
    /** nanoTime of the step's last event ("started" counts). */
    private long lastPublished;
    private Pending pending;
    private Pending last;
    private ScheduledFuture<?> scheduled;
    private boolean closed;

    ThrottledProgress(StepRequested step, Ledger ledger, ScheduledExecutorService timer, Duration interval) {
        this(step, ledger, timer, interval, System.nanoTime());
    }

    ThrottledProgress(StepRequested step, Ledger ledger, ScheduledExecutorService timer, Duration interval,
                      long lastPublished) {
        this.lastPublished = lastPublished;
        this.step = step;
        this.ledger = ledger;
        this.timer = timer;
        this.intervalNanos = interval.toNanos();
    }

    StepRequested step() {
        return step;
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

    /**
     * The message to publish as a heartbeat if nothing was published for {@code quietNanos} (what is held, else the
     * latest message again), counted as published now; null when the step spoke recently or ended.
     */
    synchronized Pending heartbeat(long now, long quietNanos) {
        if (closed || now - lastPublished < quietNanos) {
            return null;
        }
        Pending beat = pending != null ? pending : last != null ? last : new Pending("running " + step.kind(), null);
        pending = null;
        lastPublished = now;
        last = beat;
        return beat;
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
        last = new Pending(message, observedVersion);
        try {
            ledger.progress(step, message, observedVersion);
        } catch (RuntimeException e) {
            // Progress is for people watching: losing one must not fail the step.
            Log.warnf("progress of step %s could not be recorded: %s", step.stepId(), e.getMessage());
        }
    }
}
