package io.stepwise.executor.ledger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.stepwise.executor.config.ExecutorConfig;
import io.stepwise.executor.handler.StepControl;
import io.stepwise.executor.handler.StepHandlers;
import io.stepwise.executor.handler.StepOutcome;
import io.stepwise.model.ProbeRequested;
import io.stepwise.model.StepCancel;
import io.stepwise.model.StepRequested;
import io.stepwise.model.StepStatus;
import io.stepwise.outbox.TransientFailure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * Runs the attempts this executor owns on a bounded pool, never on the Kafka consumer's thread: a backup may take
 * hours, and the record was acknowledged once the ledger held it. An attempt runs only while it holds its cluster's
 * guard; one whose cluster another attempt holds waits and tries again when that one ends here, or at the next sweep.
 * The leases of owned attempts are renewed every third of the lease duration; attempts whose owner's lease expired
 * (an executor that died) are taken over at each sweep, the first one at start-up. Handlers are idempotent, so a
 * resumed attempt adopts what the one before did.
 */
@ApplicationScoped
public class StepRunner {

    private final Ledger ledger;
    private final StepHandlers handlers;
    private final ProbeRunner probes;
    private final ExecutorService pool;
    private final int workers;
    /** Workers taken: running an attempt, or about to. */
    private final AtomicInteger busy = new AtomicInteger();
    private final MeterRegistry metrics;
    private final Duration progressInterval;
    private final Duration heartbeatInterval;
    private final Duration leaseDuration;
    private final Duration sweepInterval;
    private final ScheduledExecutorService progressTimer;
    /** Renewals have a thread of their own, so that a slow sweep never lets a lease lapse. */
    private final ScheduledExecutorService leaseTimer;
    private final ScheduledExecutorService sweepTimer;
    private final Object lock = new Object();
    /** Owned attempts not running, oldest first: waiting for a worker, or (blocked) for their cluster's guard. */
    private final Map<Ledger.Key, Waiting> waiting = new LinkedHashMap<>();
    private final Map<Ledger.Key, Running> running = new ConcurrentHashMap<>();
    /** Cancels of attempts this executor owns that are not running yet, for when they run. */
    private final Map<Ledger.Key, String> pendingCancels = new ConcurrentHashMap<>();
    /** Attempts the last renewal found owned here but held nowhere in this executor (renewal thread only). */
    private Set<Ledger.Key> unknownAtLastRenewal = new HashSet<>();
    /** When the last renewal that succeeded began (nanoTime). */
    private volatile long lastRenewal = System.nanoTime();
    /** Ends that could not be recorded (the database stayed away through the retries): recorded at each sweep. */
    private final Queue<Ledger.Finished> unrecorded = new ConcurrentLinkedQueue<>();
    /** Starts, and ends: hundreds of clusters moving at once cost a few commits, not one each. */
    private final GroupCommit<Claiming> claims;
    private final GroupCommit<Ledger.Finished> ends;
    private volatile boolean stopping;
    private boolean firstSweep = true;
    /** When this executor started: what its name owned before then is a previous run's, taken at the first sweep. */
    private final Instant started = Instant.now();

    public StepRunner(Ledger ledger, StepHandlers handlers, ProbeRunner probes, ExecutorConfig config,
                      MeterRegistry metrics) {
        this.ledger = ledger;
        this.probes = probes;
        this.handlers = handlers;
        this.metrics = metrics;
        this.progressInterval = config.progressInterval();
        this.heartbeatInterval = config.heartbeatInterval();
        this.leaseDuration = config.leaseDuration();
        this.sweepInterval = config.sweepInterval();
        this.progressTimer = daemonTimer("step-progress");
        this.leaseTimer = daemonTimer("step-leases");
        this.sweepTimer = daemonTimer("step-sweep");
        this.claims = new GroupCommit<>(items -> {
            List<Ledger.Claimed> results = ledger.claim(items.stream().map(Claiming::attempt).toList());
            for (int i = 0; i < items.size(); i++) {
                items.get(i).result = results.get(i);
            }
        }, item -> item.result = ledger.retried(() -> ledger.claim(List.of(item.attempt()))).get(0),
                new TransientFailure());
        // An end another executor owns by now is not recorded (the ledger says so in its log): nothing to do here.
        this.ends = new GroupCommit<>(ledger::finished, end -> ledger.retried(() -> ledger.finished(List.of(end))),
                new TransientFailure());
        this.workers = config.workers();
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(config.workers(), r -> {
            Thread t = new Thread(r, "step-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    private static ScheduledExecutorService daemonTimer(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    void start(@Observes StartupEvent event) {
        long renewEvery = Math.max(1, leaseDuration.toMillis() / 3);
        leaseTimer.scheduleWithFixedDelay(this::renew, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
        sweepTimer.scheduleWithFixedDelay(this::sweep, 0, sweepInterval.toMillis(), TimeUnit.MILLISECONDS);
        long beatCheck = Math.max(10, heartbeatInterval.toMillis() / 4);
        progressTimer.scheduleWithFixedDelay(this::heartbeats, beatCheck, beatCheck, TimeUnit.MILLISECONDS);
    }

    /**
     * Publishes, in one transaction, the latest message again of every running attempt that published nothing for
     * three quarters of the heartbeat interval: checked every quarter, none is silent for longer than the interval.
     */
    void heartbeats() {
        long now = System.nanoTime();
        long quiet = heartbeatInterval.toNanos() * 3 / 4;
        List<Ledger.Progress> beats = new ArrayList<>();
        for (Map.Entry<Ledger.Key, Running> entry : running.entrySet()) {
            ThrottledProgress progress = entry.getValue().progress;
            ThrottledProgress.Pending beat = progress == null ? null : progress.heartbeat(now, quiet);
            if (beat != null) {
                beats.add(new Ledger.Progress(progress.step(), beat.message(), beat.observedVersion()));
            }
        }
        if (beats.isEmpty()) {
            return;
        }
        try {
            ledger.progress(beats);
        } catch (RuntimeException e) {
            // Heartbeats are for watchers: the next ones go out a quarter interval later.
            Log.warnf("Could not publish %d heartbeat(s): %s", beats.size(), e.getMessage());
        }
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        stopping = true;
        leaseTimer.shutdownNow();
        sweepTimer.shutdownNow();
        pool.shutdownNow();
        progressTimer.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
        try {
            // What ran here is resumed by another executor at once rather than after its lease.
            ledger.releaseLeases();
        } catch (RuntimeException e) {
            Log.warnf("Could not release this executor's leases while stopping (%s); they expire within %s",
                    e.getMessage(), leaseDuration);
        }
    }

    /**
     * Records a poll's worth of delivered steps in one transaction (all or none) and runs the new ones. A step a worker
     * is free for, whose cluster no other attempt holds, is recorded as started at once (one transaction instead of
     * two); the others wait for a worker or for their cluster.
     */
    public void accept(List<StepRequested> steps) {
        accept(steps, List.of());
    }

    /**
     * Records a poll's worth of step requests and cancels in one transaction, then runs the new attempts and tells the
     * running ones that were cancelled to stop.
     */
    public void accept(List<StepRequested> steps, List<StepCancel> cancels) {
        accept(steps, cancels, List.of());
    }

    /** {@link #accept(List, List)}, also recording probes, answered in the background once recorded. */
    public void accept(List<StepRequested> steps, List<StepCancel> cancels, List<ProbeRequested> probes) {
        accept(steps, cancels, (deliveries, c) -> ledger.record(deliveries, c, probes));
    }

    /** Records one probe and answers it, retrying what may pass: after its batch failed. */
    public void probeAlone(ProbeRequested probe) {
        accept(List.of(), List.of(), (none, noCancels) -> ledger.retried(() -> ledger.record(none, noCancels,
                List.of(probe))));
    }

    /** Accepts one delivered step as {@link #accept(List)} does, retrying what may pass: after its batch failed. */
    public void acceptAlone(StepRequested step) {
        accept(List.of(step), List.of(), (deliveries, none) -> ledger.retried(() -> ledger.record(deliveries, none)));
    }

    /** Records one cancel, retrying what may pass: after its batch failed. */
    public void cancelAlone(StepCancel cancel) {
        accept(List.of(), List.of(cancel), (none, cancels) -> ledger.retried(() -> ledger.record(none, cancels)));
    }

    private void accept(List<StepRequested> steps, List<StepCancel> cancels,
                        BiFunction<List<Ledger.Delivery>, List<StepCancel>, Ledger.Accepted> recording) {
        List<Ledger.Delivery> deliveries = new ArrayList<>(steps.size());
        for (StepRequested step : steps) {
            deliveries.add(new Ledger.Delivery(step, claimWorker()));
        }
        Ledger.Accepted accepted;
        try {
            accepted = recording.apply(deliveries, cancels);
        } catch (RuntimeException e) {
            deliveries.forEach(delivery -> release(delivery.startNow()));
            throw e;
        }
        probes.answer(accepted.newProbes());
        for (Ledger.Cancelled cancelled : accepted.cancels()) {
            StepCancel cancel = cancelled.cancel();
            Ledger.Key key = new Ledger.Key(cancel.stepId(), cancel.attempt());
            if (cancelled.outcome() == Ledger.CancelOutcome.ENDED) {
                synchronized (lock) {
                    waiting.remove(key);
                }
            } else if (cancelled.outcome() == Ledger.CancelOutcome.RUNNING && ledger.owner().equals(cancelled.owner())) {
                cancel(key, Ledger.reason(cancel));
            }
        }
        List<Ledger.Recorded> recorded = accepted.recorded();
        for (int i = 0; i < deliveries.size(); i++) {
            Ledger.Delivery delivery = deliveries.get(i);
            Ledger.Owned attempt = new Ledger.Owned(delivery.step(), false, false);
            switch (recorded.get(i)) {
                case NEW -> {
                    if (delivery.startNow()) {
                        submit(new Ledger.Owned(delivery.step(), true, false), true);
                    } else {
                        enqueue(attempt, false);
                    }
                }
                case WAITING -> {
                    release(delivery.startNow());
                    enqueue(attempt, true);
                }
                default -> release(delivery.startNow());
            }
        }
        dispatch();
    }

    /** Claims a worker for one more attempt if one is free now. */
    private boolean claimWorker() {
        for (int n = busy.get(); n < workers; n = busy.get()) {
            if (busy.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    private void release(boolean workerClaimed) {
        if (workerClaimed) {
            busy.decrementAndGet();
        }
    }

    private void enqueue(Ledger.Owned attempt, boolean blocked) {
        Ledger.Key key = Ledger.Key.of(attempt.step());
        synchronized (lock) {
            if (!running.containsKey(key)) {
                waiting.putIfAbsent(key, new Waiting(attempt, blocked));
            }
        }
    }

    /** Starts waiting attempts, oldest first, while workers are free; blocked ones wait for their cluster. */
    private void dispatch() {
        while (!stopping) {
            Waiting next = null;
            synchronized (lock) {
                for (Iterator<Waiting> it = waiting.values().iterator(); it.hasNext(); ) {
                    Waiting candidate = it.next();
                    if (!candidate.blocked) {
                        if (!claimWorker()) {
                            return;
                        }
                        it.remove();
                        next = candidate;
                        break;
                    }
                }
            }
            if (next == null) {
                return;
            }
            submit(next.attempt, false);
        }
    }

    /** Lets the attempts waiting for this cluster try its guard again (an attempt on it ended here). */
    private void unblock(String clusterId) {
        synchronized (lock) {
            waiting.values().stream().filter(w -> w.attempt.step().clusterId().equals(clusterId))
                    .forEach(w -> w.blocked = false);
        }
    }

    private void submit(Ledger.Owned attempt, boolean guarded) {
        try {
            pool.submit(() -> run(attempt, guarded));
        } catch (RejectedExecutionException shuttingDown) {
            // The ledger holds it, so another executor (or this one after a restart) resumes it.
            busy.decrementAndGet();
            Log.infof("Step %s attempt %d arrived while stopping; it is resumed after its lease", attempt.step().stepId(),
                    attempt.step().attempt());
        }
    }

    private void run(Ledger.Owned attempt, boolean guarded) {
        StepRequested step = attempt.step();
        Ledger.Key key = Ledger.Key.of(step);
        try {
            Ledger.Claimed claimed = guarded ? new Ledger.Claimed(Ledger.Claim.STARTED, null, null, false)
                    : claim(attempt);
            if (claimed == null) {
                return;
            }
            Running run = new Running(System.nanoTime(), new StepControl(
                    operation -> markCritical(step, operation), this::leaseInDoubt));
            running.put(key, run);
            try {
                // A cancel recorded before the attempt ran here: in the ledger, or just now by the consumer.
                String cancelled = claimed.cancelReason() != null ? claimed.cancelReason() : pendingCancels.remove(key);
                if (cancelled != null) {
                    stopCancelled(run.control, cancelled);
                }
                execute(attempt, run, claimed);
            } finally {
                running.remove(key);
                pendingCancels.remove(key);
            }
        } finally {
            busy.decrementAndGet();
            unblock(step.clusterId());
            dispatch();
        }
    }

    /** Takes the attempt's cluster guard; null when it waits (put back, blocked) or is no longer this executor's. */
    private Ledger.Claimed claim(Ledger.Owned attempt) {
        Claiming claiming = new Claiming(attempt);
        try {
            claims.commit(claiming);
        } catch (RuntimeException e) {
            Log.warnf("Step %s attempt %d could not be started (%s); it tries again at the next sweep",
                    attempt.step().stepId(), attempt.step().attempt(), e.getMessage());
            enqueue(attempt, true);
            return null;
        }
        if (claiming.result.claim() == Ledger.Claim.WAITING) {
            Log.debugf("Step %s attempt %d waits: another attempt holds cluster %s", attempt.step().stepId(),
                    attempt.step().attempt(), attempt.step().clusterId());
            enqueue(attempt, true);
            return null;
        }
        if (claiming.result.claim() == Ledger.Claim.GONE) {
            Log.infof("Step %s attempt %d is no longer this executor's to run (ended, cancelled, or taken over)",
                    attempt.step().stepId(), attempt.step().attempt());
            pendingCancels.remove(Ledger.Key.of(attempt.step()));
            return null;
        }
        return claiming.result;
    }

    /**
     * Runs the attempt's handler under its control. One cancelled before it ran here does not run, unless its previous
     * owner stopped inside an operation that must not stop halfway ({@code critical}): the handler, which adopts what
     * was done, then finishes that operation and stops at its first safe poll after it.
     */
    private void execute(Ledger.Owned attempt, Running run, Ledger.Claimed claimed) {
        StepRequested step = attempt.step();
        String critical = claimed.critical();
        Timer.Sample sample = Timer.start(metrics);
        ThrottledProgress progress = new ThrottledProgress(step, ledger, progressTimer, progressInterval);
        run.progress = progress;
        StepOutcome outcome = null;
        try {
            if (run.control.stopRequested() && critical == null) {
                outcome = StepOutcome.failed(run.control.stopReason() + (attempt.started()
                        ? "; not resumed after its executor stopped; nothing further was done"
                        : "; stopped before it began; nothing was done"), null, run.control.stopCode());
            } else if (step.preflight() != null && !claimed.checked()) {
                // Checked once, before the attempt first changes anything; a resumed one may have changed it since.
                outcome = handlers.preflight(step).orElse(null);
                if (outcome == null && !markChecked(attempt)) {
                    return;
                }
            }
            if (outcome == null) {
                if (critical != null) {
                    Log.infof("Step %s attempt %d resumes inside '%s', which it finishes first", step.stepId(),
                            step.attempt(), critical);
                }
                outcome = run.control.bind(() -> handlers.execute(step, progress));
            }
        } finally {
            progress.close();
        }
        if (run.lost != null && !run.stillOwned) {
            Log.warnf("Step %s attempt %d ended %s, but %s; its end is left to its new owner", step.stepId(),
                    step.attempt(), outcome.state(), run.lost);
            return;
        }
        if (run.lost != null && !outcome.message().startsWith(run.lost)) {
            outcome = StepOutcome.failed(run.lost + "; the attempt ended meanwhile: " + outcome.message(),
                    outcome.observedVersion());
        }
        if (stopping) {
            Log.infof("Step %s attempt %d ended while the executor stops; it is resumed (and its end adopted) by the"
                    + " next owner", step.stepId(), step.attempt());
            return;
        }
        record(new Ledger.Finished(step, outcome));
        sample.stop(Timer.builder("stepwise.executor.step.duration").tag("kind", step.kind().name())
                .tag("state", outcome.state().name()).publishPercentileHistogram().register(metrics));
    }

    /** Records that the pre-flight check passed; when it cannot be, the attempt waits and checks again later. */
    private boolean markChecked(Ledger.Owned attempt) {
        try {
            ledger.retried(() -> ledger.checked(attempt.step()));
            return true;
        } catch (RuntimeException e) {
            Log.warnf("Step %s attempt %d passed its pre-flight check, which could not be recorded (%s); it waits and"
                    + " checks again", attempt.step().stepId(), attempt.step().attempt(), e.getMessage());
            enqueue(new Ledger.Owned(attempt.step(), true, false), true);
            return false;
        }
    }

    private void record(Ledger.Finished end) {
        try {
            ends.commit(end);
        } catch (RuntimeException e) {
            // The database stayed away: keep the end and record it at a later sweep (the lease stays renewed).
            Log.errorf(e, "The end of step %s attempt %d could not be recorded; it is recorded again at the next sweep",
                    end.step().stepId(), end.step().attempt());
            unrecorded.add(end);
        }
    }

    /** Renews this executor's leases; notes running attempts that are no longer its own (an expired lease). */
    void renew() {
        long began = System.nanoTime();
        Ledger.Renewal renewal;
        try {
            renewal = ledger.renew();
        } catch (RuntimeException e) {
            Log.warnf("Could not renew this executor's leases (%s); trying again in %d ms", e.getMessage(),
                    leaseDuration.toMillis() / 3);
            return;
        }
        lastRenewal = began;
        running.forEach((key, run) -> {
            // Only what ran before the renewal read the ledger can be judged by what it read.
            if (run.since - began < 0 && run.lost == null) {
                if (!renewal.owned().contains(key)) {
                    run.lost = "another executor took it over after this executor's lease expired";
                } else if (!renewal.guarded().contains(key)) {
                    run.stillOwned = true;
                    run.lost = "another attempt took its cluster's guard after this executor's lease expired";
                }
                if (run.lost != null) {
                    run.control.stop(run.lost, null);
                }
            }
            String cancelled = renewal.cancelled().get(key);
            if (cancelled != null) {
                stopCancelled(run.control, cancelled);
            }
        });
        Set<Ledger.Key> known = new HashSet<>(running.keySet());
        synchronized (lock) {
            waiting.entrySet().removeIf(e -> e.getValue().since - began < 0 && !renewal.owned().contains(e.getKey()));
            known.addAll(waiting.keySet());
        }
        unrecorded.forEach(end -> known.add(Ledger.Key.of(end.step())));
        releaseForgotten(renewal.owned(), known);
    }

    /**
     * An attempt this executor owns and holds nowhere (not running, not waiting, no end kept), at two renewals in a
     * row, would be renewed forever and never run: it is let go, for the next sweep (of any executor) to take.
     */
    private void releaseForgotten(Set<Ledger.Key> owned, Set<Ledger.Key> known) {
        Set<Ledger.Key> unknown = new HashSet<>(owned);
        unknown.removeAll(known);
        Set<Ledger.Key> forgotten = new HashSet<>(unknown);
        forgotten.retainAll(unknownAtLastRenewal);
        unknown.removeAll(forgotten);
        unknownAtLastRenewal = unknown;
        if (forgotten.isEmpty()) {
            return;
        }
        Log.warnf("Releasing %d attempt(s) this executor owns but no longer holds, for a sweep to take: %s",
                forgotten.size(), forgotten);
        try {
            ledger.release(forgotten);
        } catch (RuntimeException e) {
            Log.warnf("Could not release them (%s); trying again at the next renewal", e.getMessage());
            unknownAtLastRenewal.addAll(forgotten);
        }
    }

    /** Records ends kept from before, takes over orphaned attempts, and lets blocked attempts try their guard again. */
    void sweep() {
        try {
            for (int n = unrecorded.size(); n > 0; n--) {
                Ledger.Finished end = unrecorded.poll();
                if (end != null) {
                    record(end);
                }
            }
            int room;
            synchronized (lock) {
                room = workers - busy.get() - (int) waiting.values().stream().filter(w -> !w.blocked).count();
            }
            List<Ledger.Owned> taken = ledger.takeOver(room, firstSweep ? started : null);
            firstSweep = false;
            if (!taken.isEmpty()) {
                Log.infof("Taking over %d unfinished attempt(s) whose owner's lease expired", taken.size());
            }
            for (Ledger.Owned attempt : taken) {
                if (attempt.superseded()) {
                    record(new Ledger.Finished(attempt.step(), StepOutcome.failed("attempt " + attempt.step().attempt()
                            + " was not resumed after its executor stopped: a later attempt of the step exists")));
                } else {
                    enqueue(attempt, false);
                }
            }
            synchronized (lock) {
                waiting.values().forEach(w -> w.blocked = false);
            }
            dispatch();
            probes.sweep();
        } catch (RuntimeException e) {
            Log.warnf("The sweep for orphaned and waiting attempts failed (%s); trying again in %s", e.getMessage(),
                    sweepInterval);
        }
    }

    /** An attempt owned here and not running. */
    private static final class Waiting {
        final Ledger.Owned attempt;
        final long since = System.nanoTime();
        volatile boolean blocked;

        Waiting(Ledger.Owned attempt, boolean blocked) {
            this.attempt = attempt;
            this.blocked = blocked;
        }
    }

    /** A running attempt of this executor was cancelled: it stops at its next safe poll. */
    private void cancel(Ledger.Key key, String reason) {
        pendingCancels.put(key, reason);
        Running run = running.get(key);
        if (run != null) {
            stopCancelled(run.control, reason);
        }
    }

    private static void stopCancelled(StepControl control, String reason) {
        control.stop("cancelled: " + reason, StepStatus.CANCELLED);
    }

    /** Not known to be this executor's: its leases could not be renewed for longer than they last. */
    public boolean leaseInDoubt() {
        return System.nanoTime() - lastRenewal > leaseDuration.toNanos();
    }

    /** How long ago the last renewal that succeeded began. */
    public Duration sinceLastRenewal() {
        return Duration.ofNanos(System.nanoTime() - lastRenewal);
    }

    private void markCritical(StepRequested step, String operation) {
        try {
            ledger.critical(step, operation);
        } catch (RuntimeException e) {
            // Only a successor taking over a cancelled attempt reads it; the operation itself must go on.
            Log.warnf("Could not record that step %s attempt %d %s (%s)", step.stepId(), step.attempt(),
                    operation == null ? "left its uninterruptible operation" : "entered '" + operation + "'",
                    e.getMessage());
        }
    }

    /** An attempt running here. */
    private static final class Running {
        final long since;
        final StepControl control;
        /** Set once its handler runs. */
        volatile ThrottledProgress progress;
        /** Why the attempt is no longer this executor's (or no longer guarded), once it is not. */
        volatile String lost;
        /** Lost only its guard: the attempt is still this executor's to end. */
        volatile boolean stillOwned;

        Running(long since, StepControl control) {
            this.since = since;
            this.control = control;
        }
    }

    private static final class Claiming {
        private final Ledger.Owned attempt;
        private Ledger.Claimed result;

        Claiming(Ledger.Owned attempt) {
            this.attempt = attempt;
        }

        Ledger.Owned attempt() {
            return attempt;
        }
    }
}
