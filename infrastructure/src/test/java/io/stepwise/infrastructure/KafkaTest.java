package io.stepwise.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker: a restart on the same port keeps what was written, on the selected backing (the in-JVM broker, or a
 * container with -Pdocker); a given log directory outlives the in-JVM broker.
 */
class KafkaTest {

    @Test
    void restartsOnTheSamePortKeepingItsLog() throws Exception {
        try (Kafka kafka = Kafka.builder().start()) {
            String bootstrap = kafka.bootstrapServers();
            send(kafka, "before-restart", "one");

            kafka.restart();

            assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);
            send(kafka, "before-restart", "two");
            assertThat(readAll(kafka, "before-restart", 2)).containsExactly("one", "two");
        }
    }

    @Test
    void aGivenLogDirectoryIsKeptForTheNextBroker(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("kafka");
        try (Kafka first = Kafka.builder().backing(Backing.EMBEDDED).logDirectory(log).start()) {
            send(first, "kept", "between runs");
        }
        assertThat(Files.list(log)).isNotEmpty();
        try (Kafka second = Kafka.builder().backing(Backing.EMBEDDED).logDirectory(log).start()) {
            assertThat(readAll(second, "kept", 1)).containsExactly("between runs");
        }
    }

    private static void send(Kafka kafka, String topic, String value) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("acks", "all");
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(topic, "k", value)).get();
        }
    }

    private static List<String> readAll(Kafka kafka, String topic, int expected) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", kafka.bootstrapServers(), "group.id", "reader-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest",
                "key.deserializer", StringDeserializer.class.getName(),
                "value.deserializer", StringDeserializer.class.getName()))) {
            consumer.subscribe(List.of(topic));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
            return values;
        }
    }
}
