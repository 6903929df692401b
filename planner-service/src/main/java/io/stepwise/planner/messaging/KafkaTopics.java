package io.stepwise.planner.messaging;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.logging.Log;
import io.stepwise.model.Topics;
import io.stepwise.outbox.KafkaClientSettings;
import io.stepwise.outbox.RecordBatches;
import io.stepwise.planner.config.KafkaConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Creates the topics the planner owns (the steps, status and rollouts topics and their dead-letter topics) when missing. */
@ApplicationScoped
public class KafkaTopics {

    private final KafkaClientSettings kafka;
    private final KafkaConfig config;
    private final String clientId;

    public KafkaTopics(KafkaClientSettings kafka, KafkaConfig config,
                       @ConfigProperty(name = "quarkus.application.name") String applicationName) {
        this.kafka = kafka;
        this.config = config;
        this.clientId = applicationName + "-topics";
    }

    void start(@Observes StartupEvent event) {
        createMissingTopics();
    }

    private void createMissingTopics() {
        // as the service's channels connect (kafka.security.protocol, kafka.sasl.*, kafka.ssl.*...)
        try (Admin admin = Admin.create(kafka.admin(clientId))) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = List.of(Topics.STEPS, Topics.STEP_STATUS, Topics.ROLLOUTS,
                            RecordBatches.deadLetterTopic(Topics.STEPS),
                            RecordBatches.deadLetterTopic(Topics.STEP_STATUS),
                            RecordBatches.deadLetterTopic(Topics.ROLLOUTS)).stream()
                    .filter(t -> !existing.contains(t))
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
