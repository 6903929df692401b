package io.stepwise.outbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code stepwise_outbox_unsent}: rows not yet handed to Kafka. Both services have it under one name, so one
 * Grafana panel, {@code sum by (instance) (stepwise_outbox_unsent)}, shows the outbox lag of both.
 */
@ApplicationScoped
public class OutboxMetrics {

    private final EntityManager em;
    private final AtomicLong unsent = new AtomicLong();

    public OutboxMetrics(MeterRegistry registry, EntityManager em) {
        this.em = em;
        registry.gauge("stepwise.outbox.unsent", unsent);
    }

    /** Read from the database on a schedule, not at every scrape. */
    @Scheduled(every = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void refresh() {
        unsent.set(((Number) em.createNativeQuery("select count(*) from outbox_event where sent_at is null")
                .getSingleResult()).longValue());
    }
}
