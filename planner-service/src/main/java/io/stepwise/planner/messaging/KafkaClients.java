package io.stepwise.planner.messaging;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.logging.Log;
import io.stepwise.model.Topics;
import io.stepwise.planner.config.KafkaConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The planner's own Kafka producer (used only by the outbox relay: acks=all, idempotent, so a batch is either
 * durably in the log in order or retried) and the creation of the topics it owns.
 */
@ApplicationScoped
public class KafkaClients {

    /** Topic for status records that cannot be read; the consumer goes on after parking them there. */
    public static final String STEP_STATUS_DEAD_LETTERS = Topics.STEP_STATUS + ".dlq";

    private final String bootstrapServers;
    private final KafkaConfig config;
    private KafkaProducer<String, String> producer;

    public KafkaClients(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, KafkaConfig config) {
        this.bootstrapServers = bootstrapServers;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        createMissingTopics();
    }

    void stop(@Observes ShutdownEvent event) {
        if (producer != null) {
            producer.close();
        }
    }

    public synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
            props.put(ProducerConfig.CLIENT_ID_CONFIG, "stepwise-planner-outbox");
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            producer = new KafkaProducer<>(props);
        }
        return producer;
    }

    private void createMissingTopics() {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = List.of(Topics.STEPS, Topics.STEP_STATUS, Topics.ROLLOUTS, STEP_STATUS_DEAD_LETTERS)
                    .stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, config.partitions(), config.replicationFactor()))
                    .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
                Log.infof("Created Kafka topics %s with %d partitions", missing.stream().map(NewTopic::name).toList(),
                        config.partitions());
            }
        } catch (ExecutionException e) {
            // Another service may have created them at the same moment; anything else shows up on first use.
            Log.warnf("Could not create Kafka topics: %s", e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
