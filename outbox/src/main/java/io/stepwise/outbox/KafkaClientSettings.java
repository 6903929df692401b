package io.stepwise.outbox;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The settings of the Kafka clients a service builds itself (the outbox relay's producer, the dead-letter producer of
 * {@link RecordBatches}, the planner's admin client), so that they connect as the SmallRye channels do: TLS, SASL and
 * anything else set under {@code kafka.} reaches them too. The source is the very map the channels are configured
 * from (Quarkus' {@code default-kafka-broker}: every {@code kafka.*} property and {@code KAFKA_*} environment
 * variable, prefix removed); each client takes from it only the settings its kind knows, so a consumer's
 * {@code group.id} or {@code auto.offset.reset} never reaches a producer.
 */
@ApplicationScoped
public class KafkaClientSettings {

    /**
     * Not a Kafka setting, but read by Quarkus' SSL engine factory, which {@code ssl.engine.factory.class} names when
     * the service takes its TLS from the Quarkus TLS registry ({@code kafka.tls-configuration-name}).
     */
    static final String TLS_CONFIGURATION_NAME = "tls-configuration-name";

    private final Map<String, Object> configured;

    @Inject
    public KafkaClientSettings(@Identifier("default-kafka-broker") Map<String, Object> configured) {
        this.configured = Map.copyOf(configured);
    }

    /** From settings named as Kafka names them, without the {@code kafka.} prefix (tests, tools). */
    public static KafkaClientSettings of(Map<String, ?> settings) {
        return new KafkaClientSettings(Map.copyOf(settings));
    }

    /** The service's settings a producer knows, with this client id; the caller adds its own (serializers, acks). */
    public Properties producer(String clientId) {
        return select(ProducerConfig.configNames(), clientId);
    }

    /** The service's settings an admin client knows, with this client id. */
    public Properties admin(String clientId) {
        return select(AdminClientConfig.configNames(), clientId);
    }

    public String bootstrapServers() {
        Object servers = configured.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        if (servers == null) {
            throw new IllegalStateException("kafka.bootstrap.servers is not set");
        }
        return servers.toString();
    }

    private Properties select(Set<String> known, String clientId) {
        Properties props = new Properties();
        configured.forEach((name, value) -> {
            if (known.contains(name) || name.equals(TLS_CONFIGURATION_NAME)) {
                props.put(name, value);
            }
        });
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        return props;
    }

    /** Names only: values may hold passwords ({@code sasl.jaas.config}, {@code ssl.key.password}). */
    @Override
    public String toString() {
        return "Kafka client settings " + configured.keySet();
    }
}
