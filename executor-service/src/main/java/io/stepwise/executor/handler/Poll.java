package io.stepwise.executor.handler;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Polls a probe until a condition holds or a deadline passes, so no wait can hang; the deadline's failure says what
 * was last seen. Each check and pause is a safe point of the attempt ({@link StepControl}): one asked to stop stops
 * there, before anything further is done to the cluster. A probe that throws {@link StepFailedException} ends the wait at once; any other exception counts as
 * "not yet" (a node restarting during a rollout refuses connections). The pause between checks is a quarter of the
 * time waited so far, within [{@link #FIRST_PAUSE}, interval]: an end is seen at most a quarter of its duration late,
 * and hundreds of long waits cost barely more checks than a fixed interval would.
 */
public final class Poll<T> {

    static final Duration FIRST_PAUSE = Duration.ofMillis(50);
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

    /** With true, the first check waits a pause: right after a change, an immediate check would not see it acted on. */
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
                StepControl.checkpoint();
                T value = probe.call();
                lastSeen = describe.apply(value);
                onEach.accept(value);
                if (done.test(value)) {
                    return value;
                }
            } catch (StepStoppedException e) {
                throw e.at("while waiting for " + what + " (last seen: " + lastSeen + ")");
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

    long nextPause(long waitedNanos) {
        long shortest = Math.min(FIRST_PAUSE.toNanos(), interval.toNanos());
        return Math.max(shortest, Math.min(waitedNanos / PAUSE_DIVISOR, interval.toNanos()));
    }

    private void sleep(long nanos, String lastSeen) {
        try {
            StepControl.pause(nanos);
        } catch (StepStoppedException e) {
            throw e.at("while waiting for " + what + " (last seen: " + lastSeen + ")");
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
