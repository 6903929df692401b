package io.stepwise.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.stepwise.model.CloudEventHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.Session;

/**
 * Publishes outbox rows to Kafka in id order (acks=all, idempotent producer) and marks them sent only after the
 * broker acknowledged them. Instances of one service share one database, and a Postgres advisory lock (scoped to
 * that database) lets one relay work at a time, which keeps each cluster's events in order. A crash between the
 * ack and the mark sends rows again: consumers dedupe on the event id.
 *
 * <p>Each row of a batch is settled on its own: the acknowledged ones are marked sent, even when others failed, so
 * they are never sent again; a row Kafka refuses for good ({@link RefusedForGood}: too large, invalid) is parked
 * ({@code parked_at}, {@code park_reason}), logged at ERROR, counted in {@code stepwise_outbox_parked_total}, and
 * never sent again, so the rows after it go on; a row that failed in a way that may pass stays unsent and goes again
 * with the next batch, after a pause.
 */
@ApplicationScoped
public class OutboxRelay {

    /** Advisory lock id of the relay ("STEPWISE" in ASCII). */
    public static final long RELAY_LOCK = 0x5354455057495345L;
    /** How long a batch waits for the broker's acknowledgements; rows not acknowledged by then go again. */
    private static final long ACK_WAIT_MILLIS = 30_000;
    /** Longest park reason kept: the refusal's class and message, which Kafka keeps short. */
    private static final int MAX_REASON = 1_000;

    /** What one batch came to: rows acknowledged, parked, and left to send again (with the first such failure). */
    record Batch(int sent, List<Parked> parked, int failed, Throwable failure) {
        static final Batch EMPTY = new Batch(0, List.of(), 0, null);

        int rows() {
            return sent + parked.size() + failed;
        }
    }

    /** A row parked, and why. */
    record Parked(OutboxEvent event, String reason) {
    }

    private final EntityManager em;
    private final OutboxConfig config;
    private final KafkaClientSettings kafka;
    private final String clientId;
    private final Counter parkedRows;
    private final RefusedForGood refusedForGood = new RefusedForGood();
    private final Semaphore wakeUp = new Semaphore(0);
    private volatile boolean running;
    /** Replaced by the relay's thread when a failure breaks it for good. */
    private volatile KafkaProducer<String, String> producer;
    private Thread thread;

    public OutboxRelay(EntityManager em, OutboxConfig config, KafkaClientSettings kafka, MeterRegistry registry,
                       @ConfigProperty(name = "quarkus.application.name") String applicationName) {
        this.em = em;
        this.config = config;
        this.kafka = kafka;
        this.clientId = applicationName + "-outbox";
        this.parkedRows = Counter.builder("stepwise.outbox.parked")
                .description("Outbox rows Kafka refused for good, parked rather than sent (see park_reason)")
                .register(registry);
    }

    /**
     * How the relay produces: every record acknowledged by all in-sync replicas, no duplicates from the producer's
     * own retries, and 1 ms of linger (Kafka 4's default of 5 ms would add 5 ms to every hop of a step). The
     * bench's Kafka baseline produces the same way.
     */
    public static Properties producerSettings(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        deliverySettings(props);
        return props;
    }

    /** Over whatever the service sets under {@code kafka.}: the relay's guarantees do not depend on it. */
    private static void deliverySettings(Properties props) {
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    }

    void start(@Observes StartupEvent event) {
        producer = newProducer();
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
        if (producer != null) {
            producer.close();
        }
    }

    private KafkaProducer<String, String> newProducer() {
        // the service's kafka.* settings (security among them), then the relay's own
        Properties props = kafka.producer(clientId);
        deliverySettings(props);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return new KafkaProducer<>(props);
    }

    /** A transaction that wrote outbox rows committed: publish them now rather than at the next poll. */
    void onWritten(@Observes(during = TransactionPhase.AFTER_SUCCESS) Outbox.Written written) {
        wakeUp.release();
    }

    private void run() {
        while (running) {
            try {
                Batch batch = relayOnce();
                if (batch.failed() > 0) {
                    Log.warnf("Outbox relay could not publish %d of %d rows, will send them again: %s",
                            batch.failed(), batch.rows(), batch.failure());
                    failedAgain(batch.failure());
                } else if (batch.rows() < config.batchSize()) {
                    wakeUp.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    wakeUp.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                Log.warnf("Outbox relay could not publish, will retry: %s", e.getMessage());
                try {
                    failedAgain(e);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Pauses before the next try, with a new producer if the failure broke this one for good. */
    private void failedAgain(Throwable failure) throws InterruptedException {
        if (RefusedForGood.fatalToProducer(failure)) {
            Log.warnf("The outbox producer refuses everything after %s; replacing it", failure);
            producer.close(Duration.ZERO);
            producer = newProducer();
        }
        Thread.sleep(1_000);
    }

    /** Publishes one batch and settles each of its rows: sent, parked, or left to send again. */
    Batch relayOnce() {
        Batch batch = QuarkusTransaction.requiringNew().call(this::publishBatch);
        // once committed: a row is parked for sure
        for (Parked row : batch.parked()) {
            parkedRows.increment();
            OutboxEvent event = row.event();
            Log.errorf("Outbox row %d parked, never to be sent (event %s, %s on %s, key %s): Kafka refuses it for good:"
                            + " %s. The events after it go on. Once the cause is fixed, \"update outbox_event set"
                            + " parked_at = null, park_reason = null where id = %d\" sends it again.", event.id(),
                    event.eventId(), event.eventType(), event.topic(), event.messageKey(), row.reason(), event.id());
        }
        return batch;
    }

    private Batch publishBatch() throws InterruptedException {
        boolean mine = (Boolean) em.createNativeQuery("select pg_try_advisory_xact_lock(" + RELAY_LOCK + ")")
                .getSingleResult();
        if (!mine) {
            return Batch.EMPTY;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select " + OutboxEvent.COLUMNS + " from outbox_event"
                + " where sent_at is null and parked_at is null order by id limit ?1")
                .setParameter(1, config.batchSize()).getResultList();
        List<OutboxEvent> batch = rows.stream().map(OutboxEvent::of).toList();
        if (batch.isEmpty()) {
            return Batch.EMPTY;
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
        for (OutboxEvent event : batch) {
            // a record the producer refuses itself (too large) comes back as a failed future, not a throw
            acks.add(producer.send(record(event)));
        }
        producer.flush();
        List<Long> sent = new ArrayList<>(batch.size());
        List<Parked> parked = new ArrayList<>();
        int failed = 0;
        Throwable failure = null;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ACK_WAIT_MILLIS);
        for (int i = 0; i < batch.size(); i++) {
            try {
                acks.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                sent.add(batch.get(i).id());
            } catch (ExecutionException e) {
                if (refusedForGood.test(e.getCause())) {
                    parked.add(park(batch.get(i), RefusedForGood.reason(e.getCause())));
                } else {
                    failed++;
                    failure = failure == null ? e.getCause() : failure;
                }
            } catch (TimeoutException e) {
                failed++;
                failure = failure == null ? e : failure;
            }
        }
        if (!sent.isEmpty()) {
            // One statement for the batch, not one update per row; native with an array, because an HQL
            // "in (...)" is translated anew for every batch size (a quarter of the executor's Hibernate time).
            em.unwrap(Session.class).createNativeQuery("update outbox_event set sent_at = now() where id = any(?1)")
                    .addSynchronizedQuerySpace(OutboxEvent.TABLE)
                    .setParameter(1, sent.toArray(Long[]::new))
                    .executeUpdate();
        }
        return new Batch(sent.size(), parked, failed, failure);
    }

    /** Rare (a row Kafka will never take), so one statement per row. */
    private Parked park(OutboxEvent event, Throwable refusal) {
        String reason = refusal.getClass().getSimpleName() + ": " + refusal.getMessage();
        reason = reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason;
        em.unwrap(Session.class).createNativeQuery("update outbox_event set parked_at = now(), park_reason = ?1"
                        + " where id = ?2")
                .addSynchronizedQuerySpace(OutboxEvent.TABLE)
                .setParameter(1, reason)
                .setParameter(2, event.id())
                .executeUpdate();
        return new Parked(event, reason);
    }

    /**
     * Deletes rows sent longer ago than the retention: the table gains rows with every step and would otherwise
     * grow forever. Unsent rows, parked ones among them, are never deleted.
     */
    @Transactional
    public int pruneSent() {
        Instant before = Instant.now().minus(config.retention());
        int deleted = em.createNativeQuery("delete from outbox_event where sent_at < ?1").setParameter(1, before)
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

    private ProducerRecord<String, String> record(OutboxEvent event) {
        ProducerRecord<String, String> record = new ProducerRecord<>(event.topic(), event.messageKey(),
                event.payload());
        CloudEventHeaders.binaryMode(event.eventId(), config.source(), event.eventType(), event.createdAt(),
                        event.subject())
                .forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        return record;
    }
}
