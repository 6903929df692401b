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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
 * cannot be applied even on its own, is parked in its topic's dead-letter topic ({@code <topic>.dlq}) as
 * SmallRye's dead-letter strategy would (same headers; the original key, value and headers kept), and the rest of
 * its batch goes on; SmallRye's strategy would park the whole batch.
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

    private final String bootstrapServers;
    private final String clientId;
    private KafkaProducer<String, String> producer;

    public RecordBatches(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                       @ConfigProperty(name = "quarkus.application.name") String applicationName) {
        this.bootstrapServers = bootstrapServers;
        this.clientId = applicationName + "-dead-letters";
    }

    /**
     * Reads the records, applies the readable ones with {@code applyAll}, and if that throws, each with
     * {@code applyOne}. Returns once every record is applied or parked; throws (so the batch is not acknowledged)
     * only if a record cannot be parked.
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
        try {
            applyAll.accept(readable);
        } catch (RuntimeException batchFailed) {
            // One record (or the database) failed the batch: apply them one by one, so only a bad one is parked.
            Log.warnf("A batch of %d records from %s failed (%s); applying them one by one", readable.size(),
                    sources.get(0).topic(), batchFailed.getMessage());
            for (int i = 0; i < readable.size(); i++) {
                try {
                    applyOne.accept(readable.get(i));
                } catch (RuntimeException e) {
                    park(sources.get(i), e);
                }
            }
        }
    }

    /** Returns once the broker has the record; throws (so the batch is not acknowledged) if it cannot. */
    private void park(ConsumerRecord<String, String> record, Throwable reason) {
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
        synchronized (this) {
            if (producer != null) {
                producer.close();
            }
        }
    }

    /** Made on first use: most runs never park anything. */
    private synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
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
