package io.stepwise.outbox;

import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_CAUSE;
import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_CAUSE_CLASS_NAME;
import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_EXCEPTION_CLASS_NAME;
import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_OFFSET;
import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_PARTITION;
import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_REASON;
import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_TOPIC;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Applies a poll's worth of consumed records as both services do: every record is read, the readable ones are
 * applied together (one transaction for many), and if that fails, one by one. A record that cannot be read, or
 * cannot be applied even on its own for a reason no retry cures, is parked in its topic's dead-letter topic
 * ({@code <topic>.dlq}) as SmallRye's dead-letter strategy would (same headers; the original key, value and headers
 * kept), and the rest of its batch goes on; SmallRye's strategy would park the whole batch.
 *
 * <p>A failure that may pass ({@link TransientFailure}: the database is away, a connection dropped, a deadlock) is
 * never a reason to park: the batch, then the record, is applied again with a backoff (capped at
 * {@link #MAX_BACKOFF}) for as long as it takes, and the poll is acknowledged only once every record is applied or
 * parked. SmallRye's polling thread keeps the consumer in its group meanwhile (it pauses the partitions and goes on
 * polling), provided the channel does not count a long-unacknowledged record as a failure
 * ({@code throttled.unprocessed-record-max-age.ms=0}); what was not acknowledged is delivered again after a restart.
 */
@ApplicationScoped
public class RecordBatches {

    /** Reads a record's value; throws when it cannot be read (the record is then parked). */
    @FunctionalInterface
    public interface Reader<T> {
        T read(ConsumerRecord<String, String> record) throws Exception;
    }

    /** The dead-letter topic of records consumed from {@code topic}. */
    public static String deadLetterTopic(String topic) {
        return topic + ".dlq";
    }

    /** The first pause before applying again what failed in a way that may pass; it doubles up to {@link #MAX_BACKOFF}. */
    public static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final KafkaClientSettings kafka;
    private final String clientId;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final TransientFailure transientFailure = new TransientFailure();
    private final Object waitLock = new Object();
    private volatile boolean stopping;
    /** When the failure being waited out began (null: nothing waits), and the last one seen; for health checks. */
    private volatile Waiting waiting;
    private KafkaProducer<String, String> producer;

    /** A record (or a batch) waiting for a failure that may pass to pass. */
    public record Waiting(String topic, Instant since, int attempts, String lastFailure) {
    }

    @Inject
    public RecordBatches(KafkaClientSettings kafka,
                       @ConfigProperty(name = "quarkus.application.name") String applicationName) {
        this(kafka, applicationName, FIRST_BACKOFF, MAX_BACKOFF);
    }

    /** With other backoff bounds (tests). */
    public RecordBatches(KafkaClientSettings kafka, String applicationName, Duration firstBackoff, Duration maxBackoff) {
        this.kafka = kafka;
        this.clientId = applicationName + "-dead-letters";
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
    }

    /**
     * What is being waited out now, if anything: a batch or a record whose application keeps failing in a way that
     * may pass (typically the database is away).
     */
    public Optional<Waiting> waiting() {
        return Optional.ofNullable(waiting);
    }

    /**
     * Reads the records, applies the readable ones with {@code applyAll}, and if that throws, each with
     * {@code applyOne}; either is applied again, without end, while it fails in a way that may pass. Returns once
     * every record is applied or parked; throws (so the batch is not acknowledged) only if a record cannot be
     * parked, or the application stops while waiting.
     */
    public <T> void apply(ConsumerRecords<String, String> records, Reader<T> reader, Consumer<List<T>> applyAll,
                          Consumer<T> applyOne) {
        List<T> readable = new ArrayList<>(records.count());
        List<ConsumerRecord<String, String>> sources = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> record : records) {
            try {
                readable.add(reader.read(record));
                sources.add(record);
            } catch (Exception e) {
                park(record, e);
            }
        }
        if (readable.isEmpty()) {
            return;
        }
        String topic = sources.get(0).topic();
        RuntimeException batchFailed = untilAppliedOrPermanent(topic, "a batch of " + readable.size() + " records",
                () -> applyAll.accept(readable));
        if (batchFailed == null) {
            return;
        }
        // One record failed the batch for good: apply them one by one, so only a bad one is parked.
        Log.warnf("A batch of %d records from %s failed (%s); applying them one by one", readable.size(), topic,
                batchFailed.getMessage());
        for (int i = 0; i < readable.size(); i++) {
            T item = readable.get(i);
            ConsumerRecord<String, String> source = sources.get(i);
            RuntimeException failed = untilAppliedOrPermanent(topic, "record " + describe(source),
                    () -> applyOne.accept(item));
            if (failed != null) {
                park(source, failed);
            }
        }
    }

    /**
     * Runs {@code apply} until it returns (null) or fails in a way no retry cures (that failure); a failure that may
     * pass is waited out with a growing pause. Throws if the application stops meanwhile.
     */
    private RuntimeException untilAppliedOrPermanent(String topic, String what, Runnable apply) {
        Instant since = null;
        Duration pause = firstBackoff;
        for (int attempt = 1; ; attempt++) {
            try {
                apply.run();
                if (since != null) {
                    Log.infof("Applied %s from %s after %d attempts: what failed since %s has passed", what, topic,
                            attempt, since);
                    waiting = null;
                }
                return null;
            } catch (RuntimeException e) {
                if (!transientFailure.test(e)) {
                    if (since != null) {
                        waiting = null;
                    }
                    return e;
                }
                if (since == null) {
                    since = Instant.now();
                }
                waiting = new Waiting(topic, since, attempt, String.valueOf(e.getMessage()));
                Log.warnf("Could not apply %s from %s (attempt %d, failing since %s): %s; trying again in %s, nothing is"
                        + " acknowledged meanwhile", what, topic, attempt, since, e.getMessage(), pause);
                pause(pause, topic);
                pause = pause.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : pause.multipliedBy(2);
            }
        }
    }

    private void pause(Duration pause, String topic) {
        synchronized (waitLock) {
            long deadline = System.nanoTime() + pause.toNanos();
            try {
                for (long left = pause.toNanos(); left > 0 && !stopping; left = deadline - System.nanoTime()) {
                    TimeUnit.NANOSECONDS.timedWait(waitLock, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting to apply records from " + topic
                        + " again; they are not acknowledged", e);
            }
        }
        if (stopping) {
            throw new IllegalStateException("stopping while waiting to apply records from " + topic
                    + " again; they are not acknowledged and are delivered again after the restart");
        }
    }

    private static String describe(ConsumerRecord<String, String> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    /** Returns once the broker has the record; throws (so the batch is not acknowledged) if it cannot. */
    private void park(ConsumerRecord<String, String> record, Throwable reason) {
        if (stopping) {
            // what fails while the service stops (its database closed, say) says nothing about the record
            throw new IllegalStateException("stopping: " + describe(record) + " failed (" + reason.getMessage()
                    + ") while the service stops, so it is neither parked nor acknowledged; it is delivered again"
                    + " after the restart");
        }
        String topic = deadLetterTopic(record.topic());
        ProducerRecord<String, String> letter = new ProducerRecord<>(topic, null, record.key(), record.value(),
                record.headers());
        header(letter, DEAD_LETTER_EXCEPTION_CLASS_NAME, reason.getClass().getName());
        header(letter, DEAD_LETTER_REASON, String.valueOf(reason.getMessage()));
        if (reason.getCause() != null) {
            header(letter, DEAD_LETTER_CAUSE_CLASS_NAME, reason.getCause().getClass().getName());
            header(letter, DEAD_LETTER_CAUSE, String.valueOf(reason.getCause().getMessage()));
        }
        header(letter, DEAD_LETTER_TOPIC, record.topic());
        header(letter, DEAD_LETTER_PARTITION, Integer.toString(record.partition()));
        header(letter, DEAD_LETTER_OFFSET, Long.toString(record.offset()));
        try {
            producer().send(letter).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while parking a record in " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not park a record in " + topic, e);
        }
        Log.warnf("Record %s-%d@%d parked in %s: %s", record.topic(), record.partition(), record.offset(), topic,
                reason.getMessage());
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        synchronized (waitLock) {
            waitLock.notifyAll();
        }
        synchronized (this) {
            if (producer != null) {
                producer.close();
            }
        }
    }

    /** Made on first use: most runs never park anything. */
    private synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            // the service's kafka.* settings (security among them), then what parking needs
            Properties props = kafka.producer(clientId);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            producer = new KafkaProducer<>(props);
        }
        return producer;
    }

    private static void header(ProducerRecord<String, String> letter, String name, String value) {
        letter.headers().remove(name);
        letter.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
