package io.stepwise.executor.messaging;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.stepwise.executor.config.ExecutorConfig;
import io.stepwise.executor.ledger.Ledger;
import io.stepwise.executor.ledger.OutboxEvent;
import io.stepwise.model.CloudEventHeaders;
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

/**
 * Publishes the executor's outbox to Kafka in id order (acks=all, idempotent producer) and marks rows sent
 * only after the broker acknowledged them. Executors of one group share one database, so a Postgres advisory
 * lock lets one relay work at a time and keeps each cluster's status events in order.
 */
@ApplicationScoped
public class OutboxRelay {

    public static final long RELAY_LOCK = 0x5354455045584543L; // "STEPEXEC"
    private static final String SOURCE = "/stepwise/executor";

    private final EntityManager em;
    private final ExecutorConfig config;
    private final String bootstrapServers;
    private final Semaphore wakeUp = new Semaphore(0);
    private volatile boolean running;
    private KafkaProducer<String, String> producer;
    private Thread thread;

    public OutboxRelay(EntityManager em, ExecutorConfig config,
                       @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.em = em;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
    }

    void start(@Observes StartupEvent event) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "stepwise-executor-outbox");
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

    void onWritten(@Observes(during = TransactionPhase.AFTER_SUCCESS) Ledger.OutboxWritten written) {
        wakeUp.release();
    }

    private void run() {
        while (running) {
            try {
                if (relayOnce() < config.relayBatchSize()) {
                    wakeUp.tryAcquire(config.relayPollInterval().toMillis(), TimeUnit.MILLISECONDS);
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

    int relayOnce() {
        return QuarkusTransaction.requiringNew().call(() -> {
            boolean mine = (Boolean) em.createNativeQuery("select pg_try_advisory_xact_lock(" + RELAY_LOCK + ")")
                    .getSingleResult();
            if (!mine) {
                return 0;
            }
            List<OutboxEvent> batch = em.createQuery("from OutboxEvent where sentAt is null order by id",
                    OutboxEvent.class).setMaxResults(config.relayBatchSize()).getResultList();
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
        int deleted = em.createQuery("delete from OutboxEvent e where e.sentAt < ?1").setParameter(1, before)
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
}
