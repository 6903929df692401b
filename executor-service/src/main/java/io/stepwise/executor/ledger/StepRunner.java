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
 * Runs accepted steps on a bounded pool, never on the Kafka consumer's thread: a backup may take hours, and the
 * record was acknowledged once the ledger held it. Unfinished steps resume at start-up (handlers are idempotent).
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
    private final ScheduledExecutorService progressTimer;
    /** Starts of queued steps, and ends: hundreds of clusters moving at once cost a few commits, not one each. */
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
     * Records a poll's worth of delivered steps in one transaction (all or none) and runs the new ones. A step a worker
     * is free for is recorded as started at once (one transaction instead of two); the others wait for a worker.
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

    /** Claims a worker for one more step if one is free now (fewer steps than workers in the runner). */
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
            // The ledger holds it, so it resumes at the next start; an error would park a good request.
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
