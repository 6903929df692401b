package io.stepwise.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The hand-built clients take the service's {@code kafka.*} settings their kind knows (security above all), and
 * none that belong to another kind of client.
 */
class KafkaClientSettingsTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"planner\" password=\"secret\";";

    /** As Quarkus' default-kafka-broker map holds a service's kafka.* settings, the prefix removed. */
    private final KafkaClientSettings settings = KafkaClientSettings.of(Map.of(
            "bootstrap.servers", "kafka-1:9093,kafka-2:9093",
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", JAAS,
            "ssl.truststore.location", "/etc/kafka/truststore.p12",
            "ssl.truststore.password", "changeit",
            "group.id", "planner-service",
            "auto.offset.reset", "earliest",
            "compression.type", "zstd",
            "health.timeout", "10s"));

    @Test
    void aProducerTakesTheSecuritySettingsAndWhatProducersKnowWithItsOwnClientId() {
        assertThat(settings.producer("planner-service-outbox")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "bootstrap.servers", "kafka-1:9093,kafka-2:9093",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", JAAS,
                "ssl.truststore.location", "/etc/kafka/truststore.p12",
                "ssl.truststore.password", "changeit",
                "compression.type", "zstd",
                "client.id", "planner-service-outbox"));
    }

    @Test
    void anAdminClientTakesTheSecuritySettingsButNoProducerOrConsumerSetting() {
        assertThat(settings.admin("planner-service-topics")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "bootstrap.servers", "kafka-1:9093,kafka-2:9093",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", JAAS,
                "ssl.truststore.location", "/etc/kafka/truststore.p12",
                "ssl.truststore.password", "changeit",
                "client.id", "planner-service-topics"));
    }

    @Test
    void theQuarkusTlsRegistryNameReachesItsSslEngineFactory() {
        KafkaClientSettings tls = KafkaClientSettings.of(Map.of("bootstrap.servers", "kafka:9093",
                "tls-configuration-name", "kafka", "ssl.engine.factory.class", "io.quarkus.kafka.client.tls.QuarkusKafkaSslEngineFactory"));
        assertThat(tls.producer("p")).containsEntry("tls-configuration-name", "kafka")
                .containsEntry("ssl.engine.factory.class", "io.quarkus.kafka.client.tls.QuarkusKafkaSslEngineFactory");
    }

    @Test
    void withoutBootstrapServersNoClientIsMade() {
        assertThatThrownBy(() -> KafkaClientSettings.of(Map.of("security.protocol", "SSL")).admin("a"))
                .hasMessageContaining("kafka.bootstrap.servers");
    }

    @Test
    void itsDescriptionNamesTheSettingsButNeverTheirValues() {
        assertThat(settings.toString()).contains("sasl.jaas.config").doesNotContain("secret", "changeit");
    }
}
