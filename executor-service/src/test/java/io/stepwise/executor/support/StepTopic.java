package io.stepwise.executor.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.stepwise.model.CloudEventHeaders;
import io.stepwise.model.Topics;
import io.stepwise.testing.KafkaResource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The executor's topics as the planner sees them: sends events to {@code stepwise.steps} with their CloudEvents
 * headers, and keeps every record on {@code stepwise.step-status} and the steps' dead-letter topic (from the start:
 * tests tell theirs apart by ids of their own).
 */
public final class StepTopic implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final KafkaProducer<String, String> producer = KafkaResource.producer();
    private final List<ConsumerRecord<String, String>> received = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile boolean reading = true;

    public StepTopic() {
        KafkaConsumer<String, String> consumer = KafkaResource.consumer("test-reader-" + UUID.randomUUID(), "earliest");
        reader = new Thread(() -> {
            consumer.subscribe(List.of(Topics.STEP_STATUS, Topics.STEPS + ".dlq"));
            while (reading) {
                consumer.poll(Duration.ofMillis(100)).forEach(received::add);
            }
            consumer.close();
        }, "step-topic-reader");
        reader.start();
    }

    /** Sends an event with its CloudEvents type, keyed by cluster id; {@code type} null sends no headers at all. */
    public void send(String clusterId, String type, Object data) {
        try {
            ProducerRecord<String, String> record = new ProducerRecord<>(Topics.STEPS, clusterId,
                    JSON.writeValueAsString(data));
            if (type != null) {
                CloudEventHeaders.binaryMode(UUID.randomUUID().toString(), "/stepwise/test", type, Instant.now(), null)
                        .forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
            }
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records received on a topic, in order. */
    public List<ConsumerRecord<String, String>> on(String topic) {
        return received.stream().filter(r -> r.topic().equals(topic)).toList();
    }

    /** The value of each record of a topic whose CloudEvents type is {@code type}, read as {@code as}. */
    public <T> List<T> events(String topic, String typePrefix, Class<T> as) {
        return on(topic).stream().filter(r -> header(r, CloudEventHeaders.TYPE) != null
                        && header(r, CloudEventHeaders.TYPE).startsWith(typePrefix))
                .map(r -> read(r.value(), as)).toList();
    }

    public static <T> T read(String value, Class<T> as) {
        try {
            return JSON.readValue(value, as);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String header(ConsumerRecord<String, String> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        reading = false;
        reader.join(5_000);
        producer.close();
    }
}
