package io.stepwise.executor.ledger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The executor's outbox gauge. Same name as the planner's ({@code stepwise.outbox.unsent}), so one Grafana panel,
 * {@code sum by (instance) (stepwise_outbox_unsent)}, shows the outbox lag of both services.
 */
@ApplicationScoped
public class LedgerMetrics {

    private final EntityManager em;
    private final AtomicLong unsentOutbox = new AtomicLong();

    public LedgerMetrics(MeterRegistry registry, EntityManager em) {
        this.em = em;
        registry.gauge("stepwise.outbox.unsent", unsentOutbox);
    }

    /** Read from the database on a schedule, not at every scrape, as the planner does. */
    @Scheduled(every = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void refreshGauges() {
        unsentOutbox.set(((Number) em.createQuery("select count(e) from OutboxEvent e where e.sentAt is null")
                .getSingleResult()).longValue());
    }
}
