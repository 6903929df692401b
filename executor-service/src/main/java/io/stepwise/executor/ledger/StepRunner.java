package io.stepwise.executor.ledger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.stepwise.executor.config.ExecutorConfig;
import io.stepwise.executor.handler.StepHandlers;
import io.stepwise.executor.handler.StepOutcome;
import io.stepwise.model.StepRequested;
import io.stepwise.outbox.TransientFailure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs accepted steps on a bounded pool, never on the Kafka consumer's thread: a backup may take hours, and
 * the record was acknowledged as soon as the ledger held it. At start-up every unfinished step resumes (handlers
 * are idempotent: a backup with the step's id is adopted, a version already set is a no-op).
 */
@ApplicationScoped
public class StepRunner {

    private final Ledger ledger;
    private final StepHandlers handlers;
    private final ExecutorService pool;
    private final int workers;
    /** Steps submitted to the pool and not yet done (running or queued). */
    private final AtomicInteger inRunner = new AtomicInteger();
    private final MeterRegistry metrics;
    private final Duration progressInterval;
    /** Publishes progress that was held back by {@link ThrottledProgress}. */
    private final ScheduledExecutorService progressTimer;
    /**
     * Record that queued steps started, and the ends of steps: those that start (or end) while another start (or
     * end) is being committed share the next commit, so hundreds of clusters moving at once cost a few
     * transactions, not one per step.
     */
    private final GroupCommit<StepRequested> starts;
    private final GroupCommit<Ledger.Finished> ends;

    public StepRunner(Ledger ledger, StepHandlers handlers, ExecutorConfig config, MeterRegistry metrics) {
        this.ledger = ledger;
        this.handlers = handlers;
        this.metrics = metrics;
        this.progressInterval = config.progressInterval();
        this.progressTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "step-progress");
            t.setDaemon(true);
            return t;
        });
        this.starts = new GroupCommit<>(ledger::started, step -> ledger.retried(() -> ledger.started(List.of(step))),
                new TransientFailure());
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

    void resume(@Observes StartupEvent event) {
        List<StepRequested> unfinished = ledger.unfinished();
        if (!unfinished.isEmpty()) {
            Log.infof("Resuming %d unfinished step(s) from the ledger", unfinished.size());
            unfinished.forEach(step -> submit(step, false));
        }
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        pool.shutdownNow();
        progressTimer.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }

    /**
     * Records a poll's worth of delivered steps in the ledger in one transaction (all or none) and runs the new ones.
     * A step for which a worker is free is recorded as started at once (one transaction instead of two); the others
     * wait, recorded as accepted, for a worker.
     */
    public void accept(List<StepRequested> steps) {
        accept(steps, ledger::record);
    }

    /** Accepts one delivered step as {@link #accept(List)} does, retrying what may pass: after its batch failed. */
    public void acceptAlone(StepRequested step) {
        accept(List.of(step), deliveries -> ledger.retried(() -> ledger.record(deliveries)));
    }

    private void accept(List<StepRequested> steps, Function<List<Ledger.Delivery>, List<Ledger.Recorded>> recording) {
        List<Ledger.Delivery> deliveries = new ArrayList<>(steps.size());
        for (StepRequested step : steps) {
            deliveries.add(new Ledger.Delivery(step, claimWorker()));
        }
        List<Ledger.Recorded> recorded;
        try {
            recorded = recording.apply(deliveries);
        } catch (RuntimeException e) {
            deliveries.forEach(delivery -> release(delivery.startNow()));
            throw e;
        }
        for (int i = 0; i < deliveries.size(); i++) {
            Ledger.Delivery delivery = deliveries.get(i);
            if (recorded.get(i) == Ledger.Recorded.NEW) {
                submit(delivery.step(), delivery.startNow());
            } else {
                release(delivery.startNow());
            }
        }
    }

    /**
     * Claims a place for one more step if fewer steps than workers are in the runner (running or queued): then a
     * worker is free for it now, so it may be recorded as started without waiting behind others.
     */
    private boolean claimWorker() {
        for (int n = inRunner.get(); n < workers; n = inRunner.get()) {
            if (inRunner.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    private void release(boolean workerClaimed) {
        if (workerClaimed) {
            inRunner.decrementAndGet();
        }
    }

    private void submit(StepRequested step, boolean alreadyStarted) {
        if (!alreadyStarted) {
            inRunner.incrementAndGet();
        }
        try {
            pool.submit(() -> run(step, alreadyStarted));
        } catch (RejectedExecutionException shuttingDown) {
            // Accepted while the executor stops: the ledger holds it, so it resumes at the next start. Not an error
            // for the consumer, which would otherwise park a good step request in the dead-letter topic.
            inRunner.decrementAndGet();
            Log.infof("Step %s attempt %d arrived while stopping; it resumes at the next start", step.stepId(),
                    step.attempt());
        }
    }

    private void run(StepRequested step, boolean alreadyStarted) {
        try {
            if (!alreadyStarted) {
                starts.commit(step);
            }
            Timer.Sample sample = Timer.start(metrics);
            ThrottledProgress progress = new ThrottledProgress(step, ledger, progressTimer, progressInterval);
            StepOutcome outcome;
            try {
                outcome = handlers.execute(step, progress);
            } finally {
                progress.close();
            }
            ends.commit(new Ledger.Finished(step, outcome));
            sample.stop(Timer.builder("stepwise.executor.step.duration").tag("kind", step.kind().name())
                    .tag("state", outcome.state().name()).publishPercentileHistogram().register(metrics));
        } catch (RuntimeException e) {
            // The ledger could not be written (database down): the step stays unfinished and resumes at restart.
            Log.errorf(e, "Step %s attempt %d could not be recorded; it resumes at the next start", step.stepId(),
                    step.attempt());
        } finally {
            inRunner.decrementAndGet();
        }
    }
}
