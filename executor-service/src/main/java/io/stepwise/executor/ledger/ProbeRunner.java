package io.stepwise.executor.ledger;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.stepwise.executor.handler.StepHandlers;
import io.stepwise.model.ProbeRequested;
import io.stepwise.model.ProbeResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers probes ({@code io.stepwise.cluster.probe-requested}): reads what the cluster runs, changing nothing, and
 * publishes a {@link ProbeResult} through the outbox, on a few threads of its own so that a slow cluster never holds
 * up steps. Probes are recorded with the poll that brought them; one whose executor died before answering is taken
 * over at a sweep once its lease expired.
 */
@ApplicationScoped
public class ProbeRunner {

    /** Probes answered at once; each mostly waits for one read of a cluster. */
    static final int THREADS = 8;
    /** Answered probes are kept this long (what dedupes a redelivered one), then deleted. */
    static final Duration RETENTION = Duration.ofDays(1);

    private final Ledger ledger;
    private final StepHandlers handlers;
    private final ExecutorService pool;
    private final AtomicInteger inFlight = new AtomicInteger();

    public ProbeRunner(Ledger ledger, StepHandlers handlers) {
        this.ledger = ledger;
        this.handlers = handlers;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "probe-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    void stop(@Observes ShutdownEvent event) {
        pool.shutdownNow();
    }

    /** Answers recorded probes, in the background. */
    public void answer(List<ProbeRequested> probes) {
        for (ProbeRequested probe : probes) {
            inFlight.incrementAndGet();
            try {
                pool.submit(() -> answer(probe));
            } catch (RejectedExecutionException stopping) {
                inFlight.decrementAndGet();
            }
        }
    }

    private void answer(ProbeRequested probe) {
        try {
            ProbeResult result = handlers.probe(probe);
            ledger.retried(() -> ledger.answer(result));
        } catch (RuntimeException e) {
            Log.warnf("Probe %s of cluster %s could not be answered (%s); it is answered again once its lease expired",
                    probe.probeId(), probe.clusterId(), e.getMessage());
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Takes over unanswered probes whose lease expired, as many as there are idle threads. */
    void sweep() {
        int room = THREADS - inFlight.get();
        if (room > 0) {
            List<ProbeRequested> taken = ledger.takeOverProbes(room);
            if (!taken.isEmpty()) {
                Log.infof("Answering %d probe(s) left unanswered", taken.size());
                answer(taken);
            }
        }
    }

    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void prune() {
        int deleted = ledger.pruneProbes(Instant.now().minus(RETENTION));
        if (deleted > 0) {
            Log.infof("Forgot %d probes answered more than %s ago", deleted, RETENTION);
        }
    }
}
