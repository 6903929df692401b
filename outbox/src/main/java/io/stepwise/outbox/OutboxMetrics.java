package io.stepwise.outbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code stepwise_outbox_unsent}: rows not yet handed to Kafka (parked rows aside). Both services have it under one
 * name, so one Grafana panel, {@code sum by (instance) (stepwise_outbox_unsent)}, shows the outbox lag of both.
 * {@code stepwise_outbox_parked_rows}: rows the relay parked because Kafka refuses them for good, until an operator
 * deals with them (alert on it above 0; {@code stepwise_outbox_parked_total} counts parkings since the start).
 */
@ApplicationScoped
public class OutboxMetrics {

    private final EntityManager em;
    private final AtomicLong unsent = new AtomicLong();
    private final AtomicLong parked = new AtomicLong();

    public OutboxMetrics(MeterRegistry registry, EntityManager em) {
        this.em = em;
        registry.gauge("stepwise.outbox.unsent", unsent);
        registry.gauge("stepwise.outbox.parked.rows", parked);
    }

    /** Read from the database on a schedule, not at every scrape. */
    @Scheduled(every = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void refresh() {
        Object[] counts = (Object[]) em.createNativeQuery("select count(*) filter (where parked_at is null),"
                + " count(*) filter (where parked_at is not null) from outbox_event where sent_at is null")
                .getSingleResult();
        unsent.set(((Number) counts[0]).longValue());
        parked.set(((Number) counts[1]).longValue());
    }
}
