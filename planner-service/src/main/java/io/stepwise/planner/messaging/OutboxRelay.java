package io.stepwise.planner.messaging;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.stepwise.model.CloudEventHeaders;
import io.stepwise.planner.config.KafkaConfig;
import io.stepwise.planner.domain.OutboxEvent;
import io.stepwise.planner.persistence.OutboxEventRepository;
import io.stepwise.planner.service.Outbox;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes outbox rows to Kafka in id order and marks them sent only after the broker acknowledged them.
 * One relay works at a time across planner instances (a Postgres advisory lock), which keeps each cluster's
 * events in order. A crash between the ack and the mark resends rows: consumers dedupe on the event id.
 */
@ApplicationScoped
public class OutboxRelay {

    /** Advisory lock id of the relay ("STEPWISE" in ASCII, truncated). */
    public static final long RELAY_LOCK = 0x5354455057495345L;
    private static final String SOURCE = "/stepwise/planner";

    private final OutboxEventRepository events;
    private final KafkaClients kafka;
    private final KafkaConfig config;
    private final Semaphore wakeUp = new Semaphore(0);
    private volatile boolean running;
    private Thread thread;

    public OutboxRelay(OutboxEventRepository events, KafkaClients kafka, KafkaConfig config) {
        this.events = events;
        this.kafka = kafka;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        running = true;
        thread = new Thread(this::run, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        wakeUp.release();
        if (thread != null) {
            thread.join(5_000);
        }
    }

    /** A transaction that wrote outbox rows committed: publish them now rather than at the next poll. */
    void onWritten(@Observes(during = TransactionPhase.AFTER_SUCCESS) Outbox.Written written) {
        wakeUp.release();
    }

    private void run() {
        while (running) {
            try {
                int sent = relayOnce();
                if (sent < config.relayBatchSize()) {
                    wakeUp.tryAcquire(config.relayPollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    wakeUp.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                Log.warnf("Outbox relay could not publish, will retry: %s", e.getMessage());
                sleepQuietly();
            }
        }
    }

    /** Publishes one batch; answers how many rows were sent. */
    int relayOnce() {
        return QuarkusTransaction.requiringNew().call(() -> {
            EntityManager em = events.getEntityManager();
            boolean mine = (Boolean) em.createNativeQuery("select pg_try_advisory_xact_lock(" + RELAY_LOCK + ")")
                    .getSingleResult();
            if (!mine) {
                return 0;
            }
            List<OutboxEvent> batch = events.find("sentAt is null order by id").page(0, config.relayBatchSize()).list();
            if (batch.isEmpty()) {
                return 0;
            }
            List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
            for (OutboxEvent event : batch) {
                acks.add(kafka.producer().send(record(event)));
            }
            kafka.producer().flush();
            for (Future<RecordMetadata> ack : acks) {
                ack.get(30, TimeUnit.SECONDS);
            }
            // one statement for the batch, not one update per row
            em.createQuery("update OutboxEvent e set e.sentAt = ?1 where e.id in ?2")
                    .setParameter(1, Instant.now())
                    .setParameter(2, batch.stream().map(e -> e.id).toList())
                    .executeUpdate();
            return batch.size();
        });
    }

    /**
     * Deletes rows sent longer ago than the retention: the table gains rows with every step and would otherwise
     * grow forever. Unsent rows are never deleted.
     */
    @Transactional
    public int pruneSent() {
        Instant before = Instant.now().minus(config.outboxRetention());
        int deleted = events.getEntityManager().createQuery("delete from OutboxEvent e where e.sentAt < ?1").setParameter(1, before)
                .executeUpdate();
        if (deleted > 0) {
            Log.infof("Deleted %d outbox rows sent before %s", deleted, before);
        }
        return deleted;
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void pruneSentHourly() {
        pruneSent();
    }

    static ProducerRecord<String, String> record(OutboxEvent event) {
        ProducerRecord<String, String> record = new ProducerRecord<>(event.topic, event.messageKey, event.payload);
        CloudEventHeaders.binaryMode(event.eventId, SOURCE, event.eventType, event.createdAt, event.subject)
                .forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        return record;
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
