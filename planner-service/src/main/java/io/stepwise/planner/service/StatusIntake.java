package io.stepwise.planner.service;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.faulttolerance.api.RetryWhen;
import io.stepwise.model.ProbeResult;
import io.stepwise.model.StepStatus;
import io.stepwise.outbox.TransientFailure;
import io.stepwise.planner.config.KafkaConfig;
import io.stepwise.planner.lifecycle.RolloutLifecycle;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.hibernate.Session;

/**
 * Applies each status event exactly once: the event id is recorded in the same transaction as its effects, so
 * a redelivered event changes nothing.
 */
@ApplicationScoped
public class StatusIntake {

    /**
     * An event from the executor and the id it is deduplicated on (its CloudEvents id): a step's status, or what a
     * probe found on a cluster.
     */
    public record Received(String eventId, StepStatus status, ProbeResult probe) {

        public Received(String eventId, StepStatus status) {
            this(eventId, status, null);
        }

        public static Received probed(String eventId, ProbeResult probe) {
            return new Received(eventId, null, probe);
        }
    }

    /**
     * A batch is applied this many events at a time: their changes are written together (one JDBC batch per table),
     * then their entities are forgotten, so that a query's auto-flush dirty-checks at most one part's entities rather
     * than everything the batch has touched so far.
     */
    static final int EVENTS_PER_FLUSH = 20;

    private final RolloutLifecycle lifecycle;
    private final RolloutService rollouts;
    private final EntityManager em;
    private final KafkaConfig config;

    public StatusIntake(RolloutLifecycle lifecycle, RolloutService rollouts, EntityManager em, KafkaConfig config) {
        this.lifecycle = lifecycle;
        this.rollouts = rollouts;
        this.em = em;
        this.config = config;
    }

    /** Applies a batch in one transaction, in order; if anything fails, nothing of the batch is applied. */
    @Transactional
    public void applyAll(List<Received> events) {
        lifecycle.lockRolloutsOf(events.stream().map(Received::status).filter(Objects::nonNull).toList(),
                events.stream().map(Received::probe).filter(Objects::nonNull).toList());
        for (int from = 0; from < events.size(); from += EVENTS_PER_FLUSH) {
            List<Received> part = events.subList(from, Math.min(events.size(), from + EVENTS_PER_FLUSH));
            Set<String> fresh = recordProcessed(part);
            List<StepStatus> toApply = new ArrayList<>();
            Set<String> probed = new LinkedHashSet<>();
            for (Received event : part) {
                if (fresh.remove(event.eventId())) {   // removed: the same event twice in a part applies once
                    if (event.probe() != null) {
                        lifecycle.onProbed(event.probe()).ifPresent(probed::add);
                    } else {
                        toApply.add(event.status());
                    }
                }
            }
            lifecycle.onStatuses(toApply, RolloutLifecycle.EXECUTOR);
            probed.forEach(rollouts::startProbed);
            em.flush();
            em.clear();
        }
    }

    /**
     * Applies one event in its own transaction (after its batch failed), retrying a passing database failure rather
     * than parking a good event; a failure no retry cures ({@link TransientFailure}) is parked at once. Each attempt
     * is a new transaction: {@code @Retry} around {@code @Transactional} would retry inside the failed one.
     */
    @Retry(maxRetries = 30, delay = 500, maxDuration = 120, durationUnit = ChronoUnit.SECONDS)
    @RetryWhen(exception = TransientFailure.class)
    public boolean apply(Received event) {
        return QuarkusTransaction.requiringNew().call(() -> {
            if (recordProcessed(List.of(event)).isEmpty()) {
                return false;
            }
            if (event.probe() != null) {
                lifecycle.onProbed(event.probe()).ifPresent(rollouts::startProbed);
                return true;
            }
            lifecycle.lockRolloutsOf(List.of(event.status()), List.of());
            return lifecycle.onStatuses(List.of(event.status()), RolloutLifecycle.EXECUTOR) == 1;
        });
    }

    /** Forgets applied event ids older than the retention (the table gains one row per status event). */
    @Transactional
    public int pruneProcessed() {
        Instant before = Instant.now().minus(config.processedEventRetention());
        int deleted = em.createNativeQuery("delete from processed_event where processed_at < ?1")
                .setParameter(1, before)
                .executeUpdate();
        if (deleted > 0) {
            Log.infof("Forgot %d applied status event ids recorded before %s", deleted, before);
        }
        return deleted;
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void pruneProcessedHourly() {
        pruneProcessed();
    }

    /**
     * Records these events' ids as applied, in one statement, and answers those not recorded before. Plain JDBC on
     * the transaction's connection: no entity maps the table.
     */
    private Set<String> recordProcessed(List<Received> events) {
        String[] ids = events.stream().map(Received::eventId).toArray(String[]::new);
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("insert into processed_event (event_id,"
                    + " processed_at) select distinct id, now() from unnest(?) as id on conflict do nothing returning event_id")) {
                insert.setArray(1, connection.createArrayOf("text", ids));
                Set<String> fresh = new HashSet<>();
                try (ResultSet inserted = insert.executeQuery()) {
                    while (inserted.next()) {
                        fresh.add(inserted.getString(1));
                    }
                }
                return fresh;
            }
        });
    }
}
