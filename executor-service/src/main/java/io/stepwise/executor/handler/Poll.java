package io.stepwise.executor.handler;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Polls a probe until a condition holds or a deadline passes. Every wait in the executor goes
 * through here so none can hang: the deadline always ends it with a message saying what was last
 * seen. A probe that throws {@link StepFailedException} ends the wait at once (a permanent problem);
 * any other exception counts as "not yet" (a node restarting during a rollout refuses connections).
 *
 * <p>The pause between checks is a quarter of the time waited so far, at least {@link #FIRST_PAUSE} and at most
 * the configured interval: an operation is seen ending at most a quarter of its duration late (or
 * {@link #FIRST_PAUSE}, or one interval for long ones), and one that takes an hour costs barely more checks than a
 * fixed interval would. Hundreds of steps waiting at the same time therefore cost little: a fixed short interval had
 * them spend the CPU on polling. (Doubling pauses, used before, saw a 300 ms rolling restart at 750 ms.)
 */
public final class Poll<T> {

    /** The shortest pause between two checks (and the first). */
    static final Duration FIRST_PAUSE = Duration.ofMillis(50);
    /** A pause is this fraction of the time waited so far, between {@link #FIRST_PAUSE} and the interval. */
    static final int PAUSE_DIVISOR = 4;

    private final String what;
    private Duration interval = Duration.ofSeconds(2);
    private Duration timeout = Duration.ofMinutes(5);
    private Function<T, String> describe = String::valueOf;
    private java.util.function.Consumer<T> onEach = t -> {
    };
    private boolean pauseFirst;

    private Poll(String what) {
        this.what = what;
    }

    /** {@code what} completes the sentence "timed out after 5s waiting for ...". */
    public static <T> Poll<T> waitingFor(String what) {
        return new Poll<>(what);
    }

    public Poll<T> every(Duration interval) {
        this.interval = interval;
        return this;
    }

    public Poll<T> atMost(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    public Poll<T> describedBy(Function<T, String> describe) {
        this.describe = describe;
        return this;
    }

    /** Called with every successful probe result, e.g. to report progress when it changes. */
    public Poll<T> onEach(java.util.function.Consumer<T> onEach) {
        this.onEach = onEach;
        return this;
    }

    /**
     * With true, the first check comes after the first pause, not at once: for a wait that starts right after the
     * caller changed what it checks (a first check would only see the change not yet acted on).
     */
    public Poll<T> pausingFirst(boolean pauseFirst) {
        this.pauseFirst = pauseFirst;
        return this;
    }

    public T until(Callable<T> probe, Predicate<T> done) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        String lastSeen = "nothing (no check yet)";
        int attempts = 0;
        if (pauseFirst) {
            sleep(Math.min(nextPause(0), timeout.toNanos()), lastSeen);
        }
        while (true) {
            attempts++;
            try {
                T value = probe.call();
                lastSeen = describe.apply(value);
                onEach.accept(value);
                if (done.test(value)) {
                    return value;
                }
            } catch (StepFailedException e) {
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StepFailedException("interrupted while waiting for " + what + "; last seen: " + lastSeen, e);
            } catch (Exception e) {
                lastSeen = "error " + StepHandlers.describe(e);
            }
            long now = System.nanoTime();
            long remaining = deadline - now;
            if (remaining <= 0) {
                throw new StepFailedException("timed out after " + human(timeout) + " (" + attempts
                        + " checks) waiting for " + what + "; last seen: " + lastSeen);
            }
            sleep(Math.min(nextPause(now - start), remaining), lastSeen);
        }
    }

    /** The pause after {@code waitedNanos} of waiting: a quarter of it, within [FIRST_PAUSE, interval]. */
    long nextPause(long waitedNanos) {
        long shortest = Math.min(FIRST_PAUSE.toNanos(), interval.toNanos());
        return Math.max(shortest, Math.min(waitedNanos / PAUSE_DIVISOR, interval.toNanos()));
    }

    private void sleep(long nanos, String lastSeen) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailedException("interrupted while waiting for " + what + "; last seen: " + lastSeen, e);
        }
    }

    public static String human(Duration d) {
        if (d.toMillis() < 1000) {
            return d.toMillis() + "ms";
        }
        if (d.toMillis() % 1000 != 0 || d.getSeconds() < 120) {
            return String.format(java.util.Locale.ROOT, "%.1fs", d.toMillis() / 1000.0).replace(".0s", "s");
        }
        return d.getSeconds() % 60 == 0 ? d.toMinutes() + "m" : d.getSeconds() + "s";
    }
}
