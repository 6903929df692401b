package io.stepwise.executor.handler;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What the executor tells a running attempt from outside: stop (the planner cancelled it, or it is no longer this
 * executor's to run). Handlers meet it only where they wait: {@link Poll} calls {@link #checkpoint()} before every
 * check and wakes from its pauses when asked to stop, so an attempt stops at its next safe poll, before any further
 * call that changes the cluster. An operation that must not stop halfway runs in {@link #uninterrupted}: a stop asked
 * meanwhile takes effect at the first checkpoint after it. While this executor cannot tell whether it still owns the
 * attempt (its lease could not be renewed for longer than the lease), a checkpoint waits.
 *
 * <p>The attempt's worker thread carries its control ({@link #bind}); without one (a handler called directly, as tests
 * do) every checkpoint passes.
 */
public final class StepControl {

    /** Told when the attempt enters and leaves an operation that must not stop halfway, so a successor knows. */
    public interface Listener {
        void critical(String operation);

        Listener NONE = operation -> {
        };
    }

    private static final ThreadLocal<StepControl> CURRENT = new ThreadLocal<>();
    private static final long DOUBT_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Listener listener;
    private final BooleanSupplier leaseInDoubt;
    private volatile String stopReason;
    private volatile String stopCode;
    private int criticalDepth;

    public StepControl(Listener listener, BooleanSupplier leaseInDoubt) {
        this.listener = listener;
        this.leaseInDoubt = leaseInDoubt;
    }

    /** Runs {@code body} with this control as the current thread's. */
    public <T> T bind(Supplier<T> body) {
        StepControl previous = CURRENT.get();
        CURRENT.set(this);
        try {
            return body.get();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /** Asks the attempt to stop; the first reason wins. {@code errorCode} is for its failed status (may be null). */
    public void stop(String reason, String errorCode) {
        lock.lock();
        try {
            if (stopReason == null) {
                stopCode = errorCode;
                stopReason = reason;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public boolean stopRequested() {
        return stopReason != null;
    }

    public String stopReason() {
        return stopReason;
    }

    public String stopCode() {
        return stopCode;
    }

    /** Throws {@link StepStoppedException} if the current attempt was asked to stop and is not inside an operation. */
    public static void checkpoint() {
        StepControl control = CURRENT.get();
        if (control != null) {
            control.check();
        }
    }

    /** Sleeps, waking early to throw {@link StepStoppedException} when the current attempt is asked to stop. */
    public static void pause(long nanos) throws InterruptedException {
        StepControl control = CURRENT.get();
        if (control == null) {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } else {
            control.await(nanos);
        }
    }

    /** Runs an operation that must not stop halfway: checkpoints inside it pass, a stop waits for its end. */
    public static <T> T uninterrupted(String operation, Supplier<T> body) {
        StepControl control = CURRENT.get();
        if (control == null) {
            return body.get();
        }
        control.enter(operation);
        try {
            return body.get();
        } finally {
            control.leave();
        }
    }

    /** {@link #uninterrupted(String, Supplier)} for an operation that returns nothing. */
    public static void uninterrupted(String operation, Runnable body) {
        uninterrupted(operation, () -> {
            body.run();
            return null;
        });
    }

    private void enter(String operation) {
        boolean first;
        lock.lock();
        try {
            first = criticalDepth++ == 0;
        } finally {
            lock.unlock();
        }
        if (first) {
            listener.critical(operation);
        }
    }

    private void leave() {
        boolean last;
        lock.lock();
        try {
            last = --criticalDepth == 0;
        } finally {
            lock.unlock();
        }
        if (last) {
            listener.critical(null);
        }
    }

    private void check() {
        lock.lock();
        try {
            while (criticalDepth == 0 && stopReason == null && leaseInDoubt.getAsBoolean()) {
                // Not known to be ours any more: change nothing until a renewal says it is, or that it is not.
                changed.awaitNanos(DOUBT_RECHECK_NANOS);
            }
            throwIfStopped();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailedException("interrupted while waiting to know whether the attempt is still this"
                    + " executor's", e);
        } finally {
            lock.unlock();
        }
    }

    private void await(long nanos) throws InterruptedException {
        lock.lock();
        try {
            long left = nanos;
            while (left > 0 && (stopReason == null || criticalDepth > 0)) {
                left = changed.awaitNanos(left);
            }
            throwIfStopped();
        } finally {
            lock.unlock();
        }
    }

    private void throwIfStopped() {
        if (stopReason != null && criticalDepth == 0) {
            throw new StepStoppedException(stopReason, stopCode);
        }
    }
}
