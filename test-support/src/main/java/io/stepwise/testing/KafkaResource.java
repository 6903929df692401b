package io.stepwise.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The real Apache Kafka broker (KRaft), started in-JVM once per test JVM. */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedKafkaBroker broker;

    public static synchronized String bootstrapServers() {
        if (broker == null) {
            broker = new EmbeddedKafkaBroker()
                    .withDeleteLogDirsOnClose(true)
                    .withAdditionalProperties(props -> {
                        // one broker: internal topics must not ask for more replicas, or groups never form
                        props.put("offsets.topic.replication.factor", "1");
                        props.put("transaction.state.log.replication.factor", "1");
                        props.put("transaction.state.log.min.isr", "1");
                        props.put("share.coordinator.state.topic.replication.factor", "1");
                        props.put("group.initial.rebalance.delay.ms", "0");
                        props.put("num.partitions", "4"); // topics a consumer creates by subscribing
                        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
                    })
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
        }
        return broker.getAdvertisedListeners();
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
        return Map.of("kafka.bootstrap.servers", bootstrapServers(), "stepwise.kafka.partitions", "4");
    }

    @Override
    public void stop() {
        // shared by every test class of the JVM; the shutdown hook closes it
    }
}
