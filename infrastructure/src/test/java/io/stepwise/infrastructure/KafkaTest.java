package io.stepwise.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker: a restart on the same port keeps what was written, on the selected backing (the in-JVM broker, or a
 * container with -Pdocker); a given log directory outlives the in-JVM broker; with SASL users and ACLs, a client
 * must log in and may do only what an ACL grants it, across restarts too.
 */
class KafkaTest {

    @Test
    void restartsOnTheSamePortKeepingItsLog() throws Exception {
        try (Kafka kafka = Kafka.builder().start()) {
            String bootstrap = kafka.bootstrapServers();
            assertThat(kafka.clientSettings("anyone")).as("plaintext, by default: the address is all a client needs")
                    .containsExactly(Map.entry("bootstrap.servers", bootstrap));
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

    @Test
    void withSaslUsersAndAclsAClientMustLogInAndMayDoOnlyWhatItsAclsGrant() throws Exception {
        AclBinding writerMayWrite = new AclBinding(new ResourcePattern(ResourceType.TOPIC, "granted", PatternType.LITERAL),
                new AccessControlEntry("User:writer", "*", AclOperation.WRITE, AclPermissionType.ALLOW));
        try (Kafka kafka = Kafka.builder().backing(Backing.EMBEDDED).saslUser("writer", "writer-secret")
                .saslUser("stranger", "stranger-secret").acls(List.of(writerMayWrite)).start()) {
            try (Admin admin = Admin.create(new HashMap<>(kafka.clientSettings(Kafka.SUPER_USER)))) {
                admin.createTopics(List.of(new NewTopic("granted", 1, (short) 1))).all().get();
            }

            send(kafka.clientSettings("writer"), "granted", "one");
            assertThatThrownBy(() -> send(kafka.clientSettings("stranger"), "granted", "two"))
                    .hasRootCauseInstanceOf(TopicAuthorizationException.class);
            Map<String, String> wrongPassword = new HashMap<>(kafka.clientSettings("writer"));
            wrongPassword.put("sasl.jaas.config", wrongPassword.get("sasl.jaas.config").replace("writer-secret", "guess"));
            assertThatThrownBy(() -> send(wrongPassword, "granted", "three"))
                    .hasRootCauseInstanceOf(SaslAuthenticationException.class);
            Map<String, String> anonymous = Map.of("bootstrap.servers", kafka.bootstrapServers(),
                    "max.block.ms", "5000");
            assertThatThrownBy(() -> send(anonymous, "granted", "four")).as("a client that does not log in")
                    .hasRootCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);

            kafka.restart();

            send(kafka.clientSettings("writer"), "granted", "five");
            assertThatThrownBy(() -> send(kafka.clientSettings("stranger"), "granted", "six"))
                    .hasRootCauseInstanceOf(TopicAuthorizationException.class);
            assertThat(readAll(kafka.clientSettings(Kafka.SUPER_USER), "granted", 2)).containsExactly("one", "five");
        }
    }

    private static void send(Kafka kafka, String topic, String value) throws Exception {
        send(kafka.clientSettings("test"), topic, value);
    }

    private static void send(Map<String, String> settings, String topic, String value) throws Exception {
        Properties p = new Properties();
        p.putAll(settings);
        p.put("acks", "all");
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(topic, "k", value)).get();
        }
    }

    private static List<String> readAll(Kafka kafka, String topic, int expected) {
        return readAll(kafka.clientSettings("test"), topic, expected);
    }

    private static List<String> readAll(Map<String, String> settings, String topic, int expected) {
        Map<String, Object> config = new HashMap<>(settings);
        config.putAll(Map.of("group.id", "reader-" + UUID.randomUUID(), "auto.offset.reset", "earliest",
                "key.deserializer", StringDeserializer.class.getName(),
                "value.deserializer", StringDeserializer.class.getName()));
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
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
