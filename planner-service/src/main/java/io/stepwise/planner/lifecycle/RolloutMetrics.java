package io.stepwise.planner.lifecycle;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.Scheduled;
import io.stepwise.model.ClusterPlanState;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The planner's Prometheus metrics (names are the contract of deploy/grafana): steps dispatched and finished by
 * kind, step durations, clusters running (the outbox gauge is the shared outbox module's {@code OutboxMetrics}).
 */
@ApplicationScoped
public class RolloutMetrics {

    private final MeterRegistry registry;
    private final EntityManager em;
    private final TransactionSynchronizationRegistry transactions;
    private final AtomicLong runningClusters = new AtomicLong();

    public RolloutMetrics(MeterRegistry registry, EntityManager em, TransactionSynchronizationRegistry transactions) {
        this.registry = registry;
        this.em = em;
        this.transactions = transactions;
        registry.gauge("stepwise.clusters.running", runningClusters);
    }

    void dispatched(StepKind kind) {
        afterCommit(() -> Counter.builder("stepwise.steps.dispatched").tag("kind", kind.name())
                .description("steps sent to the executor").register(registry).increment());
    }

    void finished(StepKind kind, StepState state, Instant startedAt, Instant finishedAt) {
        afterCommit(() -> {
            Counter.builder("stepwise.steps.finished").tag("kind", kind.name()).tag("state", state.name())
                    .description("steps that ended, by outcome").register(registry).increment();
            if (startedAt != null && finishedAt != null && !finishedAt.isBefore(startedAt)) {
                Timer.builder("stepwise.step.duration").tag("kind", kind.name()).publishPercentileHistogram()
                        .description("from the executor starting a step to its end").register(registry)
                        .record(Duration.between(startedAt, finishedAt));
            }
        });
    }

    /**
     * Counts what the caller's transaction did once it commits: a batch of status events that rolls back and is
     * applied again one by one is counted once, and a rolled-back dispatch not at all.
     */
    private void afterCommit(Runnable count) {
        if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
            count.run();
            return;
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    count.run();
                }
            }
        });
    }

    /** Gauges read the database, so they are refreshed on a schedule rather than at every scrape. */
    @Scheduled(every = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void refreshGauges() {
        runningClusters.set(((Number) em.createQuery("select count(c) from RolloutCluster c where c.state in ?1")
                .setParameter(1, List.of(ClusterPlanState.RUNNING, ClusterPlanState.AWAITING_APPROVAL))
                .getSingleResult()).longValue());
    }
}
