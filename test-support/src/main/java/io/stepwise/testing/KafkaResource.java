package io.stepwise.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.stepwise.infrastructure.Kafka;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka broker every test class of a JVM shares (module {@code infrastructure}: the real broker in-JVM, or a
 * container with {@code -Pdocker}), started on first use and stopped when the JVM exits.
 */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    /** Partitions of the topics in the tests (the planner creates its own with {@code stepwise.kafka.partitions}). */
    private static final int PARTITIONS = 4;

    private static Kafka kafka;

    /** The shared broker, started on first use. */
    public static synchronized Kafka kafka() {
        if (kafka == null) {
            kafka = Kafka.builder().partitions(PARTITIONS).start();
        }
        return kafka;
    }

    public static String bootstrapServers() {
        return kafka().bootstrapServers();
    }

    /**
     * A consumer of string records in a group of its own ({@code <name>-<random>}), starting at the
     * {@code "earliest"} or {@code "latest"} offset of what it subscribes to.
     */
    public static KafkaConsumer<String, String> consumer(String name, String offsetReset) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers());
        props.put("group.id", name + "-" + UUID.randomUUID());
        props.put("auto.offset.reset", offsetReset);
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }

    /** A producer of string records that waits for every replica ({@code acks=all}). */
    public static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers());
        props.put("acks", "all");
        props.put("key.serializer", StringSerializer.class.getName());
        props.put("value.serializer", StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", bootstrapServers(), "stepwise.kafka.partitions", String.valueOf(PARTITIONS));
    }

    @Override
    public void stop() {
        // shared by every test class of the JVM; it stops when the JVM exits
    }
}
