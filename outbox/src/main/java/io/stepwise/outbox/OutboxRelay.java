package io.stepwise.outbox;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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
 */
@ApplicationScoped
public class OutboxRelay {

    /** Advisory lock id of the relay ("STEPWISE" in ASCII). */
    public static final long RELAY_LOCK = 0x5354455057495345L;

    private final EntityManager em;
    private final OutboxConfig config;
    private final KafkaClientSettings kafka;
    private final String clientId;
    private final Semaphore wakeUp = new Semaphore(0);
    private volatile boolean running;
    private KafkaProducer<String, String> producer;
    private Thread thread;

    public OutboxRelay(EntityManager em, OutboxConfig config, KafkaClientSettings kafka,
                       @ConfigProperty(name = "quarkus.application.name") String applicationName) {
        this.em = em;
        this.config = config;
        this.kafka = kafka;
        this.clientId = applicationName + "-outbox";
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
        // the service's kafka.* settings (security among them), then the relay's own
        Properties props = kafka.producer(clientId);
        deliverySettings(props);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producer = new KafkaProducer<>(props);
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

    /** A transaction that wrote outbox rows committed: publish them now rather than at the next poll. */
    void onWritten(@Observes(during = TransactionPhase.AFTER_SUCCESS) Outbox.Written written) {
        wakeUp.release();
    }

    private void run() {
        while (running) {
            try {
                if (relayOnce() < config.batchSize()) {
                    wakeUp.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    wakeUp.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                Log.warnf("Outbox relay could not publish, will retry: %s", e.getMessage());
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Publishes one batch; answers how many rows were sent. */
    int relayOnce() {
        return QuarkusTransaction.requiringNew().call(() -> {
            boolean mine = (Boolean) em.createNativeQuery("select pg_try_advisory_xact_lock(" + RELAY_LOCK + ")")
                    .getSingleResult();
            if (!mine) {
                return 0;
            }
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("select " + OutboxEvent.COLUMNS + " from outbox_event"
                    + " where sent_at is null order by id limit ?1").setParameter(1, config.batchSize()).getResultList();
            List<OutboxEvent> batch = rows.stream().map(OutboxEvent::of).toList();
            if (batch.isEmpty()) {
                return 0;
            }
            List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
            for (OutboxEvent event : batch) {
                acks.add(producer.send(record(event)));
            }
            producer.flush();
            for (Future<RecordMetadata> ack : acks) {
                ack.get(30, TimeUnit.SECONDS);
            }
            // One statement for the batch, not one update per row; native with an array, because an HQL
            // "in (...)" is translated anew for every batch size (a quarter of the executor's Hibernate time).
            em.unwrap(Session.class).createNativeQuery("update outbox_event set sent_at = now() where id = any(?1)")
                    .addSynchronizedQuerySpace(OutboxEvent.TABLE)
                    .setParameter(1, batch.stream().map(OutboxEvent::id).toArray(Long[]::new))
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
