package io.stepwise.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.infrastructure.Backing;
import io.stepwise.infrastructure.Kafka;
import io.stepwise.infrastructure.Stack;
import io.stepwise.model.CloudEventHeaders;
import io.stepwise.model.ClusterConnection;
import io.stepwise.model.DeploymentKind;
import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import io.stepwise.model.StepState;
import io.stepwise.model.StepStatus;
import io.stepwise.model.Topics;
import io.stepwise.simulator.ClusterInfo;
import io.stepwise.simulator.ClusterSpec;
import io.stepwise.simulator.FleetSimulator;
import io.stepwise.simulator.SimulatorSettings;
import io.stepwise.simulator.ledger.EffectType;
import io.stepwise.testing.IssuerResource;
import io.stepwise.testing.PostgresResource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged planner and executor on a broker that authenticates every client (SASL PLAIN) and authorizes it by
 * ACLs: each service logs in as its own user, given its {@code kafka.*} settings as {@code -D} options like any other
 * configuration, and holds exactly the ACLs {@code deploy/kafka/acls.sh} grants. A rollout completes through it, and a
 * step request written by anyone but the planner, or a status by anyone but the executor, is refused by the broker.
 */
class KafkaAclIT {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ADMIN = "Bearer " + IssuerResource.token("system-test", "admin");
    private static final String PLANNER = "stepwise-planner";
    private static final String EXECUTOR = "stepwise-executor";
    /** A client of the same broker with a login of its own, e.g. another team's service or a stolen password. */
    private static final String INTRUDER = "intruder";
    /** Not the broker's default (4): topics with 3 partitions were created by the planner, logged in as itself. */
    private static final int PARTITIONS = 3;

    private static Kafka kafka;
    private static FleetSimulator simulator;
    private static Stack stack;

    @BeforeAll
    static void start() throws Exception {
        Path home = Path.of(System.getProperty("stepwise.home", "..")).toAbsolutePath().normalize();
        Path logs = Files.createDirectories(home.resolve("system-tests/target/logs/kafka-acl"));
        List<AclBinding> acls = AclScript.read(home.resolve("deploy/kafka/acls.sh"),
                Map.of("PLANNER", "User:" + PLANNER, "EXECUTOR", "User:" + EXECUTOR));
        // ACLs and SASL users are a feature of the in-JVM broker (the Docker backing has neither)
        kafka = Kafka.builder().backing(Backing.EMBEDDED)
                .saslUser(PLANNER, secret()).saslUser(EXECUTOR, secret()).saslUser(INTRUDER, secret())
                .acls(acls).start();
        simulator = FleetSimulator.start(0, SimulatorSettings.defaults()
                .withBackupDuration(Duration.ofMillis(100))
                .withNodeRestartDuration(Duration.ofMillis(20))
                .withSyncDuration(Duration.ofMillis(20))
                .withTickInterval(Duration.ofMillis(10)));

        Map<String, String> planner = new HashMap<>(IssuerResource.issuer().plannerProperties());
        planner.put("stepwise.kafka.partitions", String.valueOf(PARTITIONS));
        planner.putAll(serviceSettings(PLANNER));
        Map<String, String> executor = new HashMap<>(simulator.executorSettings());
        executor.put("stepwise.executor.weaviate.backup-poll-interval", "50ms");
        executor.put("stepwise.executor.weaviate.sync-poll-interval", "50ms");
        executor.put("stepwise.executor.weaviate.nodes-poll-interval", "50ms");
        executor.put("stepwise.executor.actuator.kubernetes.poll-interval", "50ms");
        executor.putAll(serviceSettings(EXECUTOR));
        stack = Stack.builder(home)
                .postgres(PostgresResource.postgres())
                .kafka(kafka)
                .databases("kafka_acl_planner", "kafka_acl_executor")
                .logs(logs)
                .plannerProperties(planner)
                .executorProperties(executor)
                .build()
                .start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (stack != null) {
            stack.close();
        }
        if (simulator != null) {
            simulator.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static String secret() {
        return UUID.randomUUID().toString();
    }

    /** A service's login as its configuration takes it: {@code kafka.security.protocol}, {@code kafka.sasl.*}. */
    private static Map<String, String> serviceSettings(String user) {
        Map<String, String> settings = new HashMap<>();
        kafka.clientSettings(user).forEach((name, value) -> settings.put("kafka." + name, value));
        return settings;
    }

    @Test
    void aRolloutCompletesWithEachServiceLoggedInAsItselfHoldingOnlyItsAcls() throws Exception {
        for (int i = 0; i < 2; i++) {
            ClusterInfo c = simulator.createCluster(ClusterSpec.weaviate("acl-w-" + i, "1.29.11", 3, "kubernetes"));
            HttpResponse<String> registered = post("/api/v1/clusters", simulator.registration(c, Map.of("fleet", "acl")));
            assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        }

        HttpResponse<String> started = post("/api/v1/rollouts", Map.of("product", "weaviate", "targetVersion", "1.30",
                "selector", "fleet=acl", "strategy", Map.of("maxParallel", 2)));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String rolloutId = JSON.readTree(started.body()).get("id").asText();
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                .until(() -> get("/api/v1/rollouts/" + rolloutId).get("finishedAt").isTextual());
        JsonNode rollout = get("/api/v1/rollouts/" + rolloutId);

        assertThat(rollout.get("state").asText()).as("rollout: %s", rollout.get("message")).isEqualTo("SUCCEEDED");
        for (int i = 0; i < 2; i++) {
            assertThat(simulator.weaviate("acl-w-" + i).allNodesOn("1.30.23")).as("acl-w-%d on 1.30.23", i).isTrue();
        }
        assertThat(simulator.violations()).isEmpty();
        // the planner's admin client logged in too: it created the topics, with its partitions, not the broker's
        try (Admin admin = Admin.create(new HashMap<>(kafka.clientSettings(Kafka.SUPER_USER)))) {
            Map<String, TopicDescription> topics = admin.describeTopics(List.of(Topics.STEPS, Topics.STEP_STATUS,
                    Topics.ROLLOUTS, Topics.STEPS + ".dlq", Topics.STEP_STATUS + ".dlq")).allTopicNames().get();
            assertThat(topics.values()).allSatisfy(t -> assertThat(t.partitions()).as(t.name()).hasSize(PARTITIONS));
        }
    }

    @Test
    void aStepRequestFromAnyoneButThePlannerIsRefusedByTheBrokerAndNeverReachesTheExecutor() throws Exception {
        ClusterInfo target = simulator.createCluster(ClusterSpec.weaviate("acl-forged", "1.29.11", 3, "kubernetes"));
        String forgedId = "forged-" + UUID.randomUUID();
        StepRequested forged = new StepRequested(forgedId, UUID.randomUUID().toString(), target.id(), 1, 1,
                Product.WEAVIATE, StepKind.UPGRADE, "1.30.23", Map.of(), new ClusterConnection(target.endpoint(),
                DeploymentKind.KUBERNETES, target.namespace(), target.statefulSet(), target.helmRelease(), null, null));

        for (String user : List.of(INTRUDER, EXECUTOR)) {
            assertThatThrownBy(() -> send(user, Topics.STEPS, target.id(), forgedId, StepRequested.TYPE, forged))
                    .as("a step request written as %s", user)
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        // nor may anyone but the executor announce a step's outcome
        StepStatus succeeded = new StepStatus(forgedId, forged.rolloutId(), target.id(), 1, 1, StepState.SUCCEEDED,
                "1.30.23", "forged", Instant.now());
        for (String user : List.of(INTRUDER, PLANNER)) {
            assertThatThrownBy(() -> send(user, Topics.STEP_STATUS, target.id(), forgedId + ":succeeded",
                    StepStatus.TYPE_SUCCEEDED, succeeded))
                    .as("a step status written as %s", user)
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        // and the intruder may not read the step requests (they name every cluster and where it is)
        try (KafkaConsumer<String, String> reader = consumer(INTRUDER)) {
            reader.assign(List.of(new TopicPartition(Topics.STEPS, 0)));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThatThrownBy(
                    () -> reader.poll(Duration.ofMillis(500))).isInstanceOf(TopicAuthorizationException.class));
        }

        // what the executor could ever read: the whole steps topic holds nothing for that cluster
        assertThat(readSteps()).as("records of stepwise.steps about %s", target.id())
                .noneSatisfy(r -> assertThat(r.key()).isEqualTo(target.id()))
                .noneSatisfy(r -> assertThat(header(r, CloudEventHeaders.ID)).isEqualTo(forgedId));
        assertThat(simulator.effects(target.id())).as("what happened to %s", target.id())
                .allSatisfy(e -> assertThat(e.type()).isEqualTo(EffectType.CLUSTER_CREATED));
        assertThat(simulator.weaviate(target.id()).allNodesOn("1.29.11")).isTrue();
    }

    /** Sends as {@code user} and waits for the broker's answer (throws its refusal). */
    private static void send(String user, String topic, String key, String eventId, String type, Object data)
            throws Exception {
        Properties props = new Properties();
        props.putAll(kafka.clientSettings(user));
        props.put("acks", "all");
        props.put("max.block.ms", "30000");
        props.put("key.serializer", StringSerializer.class.getName());
        props.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, JSON.writeValueAsString(data));
            CloudEventHeaders.binaryMode(eventId, "/stepwise/planner", type, Instant.now(), key)
                    .forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
            producer.send(record).get(60, TimeUnit.SECONDS);
        }
    }

    private static KafkaConsumer<String, String> consumer(String user) {
        Properties props = new Properties();
        props.putAll(kafka.clientSettings(user));
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        props.put("auto.offset.reset", "earliest");
        return new KafkaConsumer<>(props);
    }

    /** Every record on stepwise.steps up to its end now, read as the super user without a consumer group. */
    private static List<ConsumerRecord<String, String>> readSteps() {
        try (KafkaConsumer<String, String> reader = consumer(Kafka.SUPER_USER)) {
            List<TopicPartition> partitions = reader.partitionsFor(Topics.STEPS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = reader.endOffsets(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                reader.poll(Duration.ofMillis(200)).forEach(records::add);
                return partitions.stream().allMatch(p -> reader.position(p) >= end.get(p));
            });
            return records;
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> post(String path, Object body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(stack.planner().url() + path))
                        .header("Content-Type", "application/json").header("Authorization", ADMIN)
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(stack.planner().url() + path))
                .header("Authorization", ADMIN).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /**
     * The ACLs of {@code deploy/kafka/acls.sh}: each line {@code acl --allow-principal "$X" --operation Op...
     * --topic name | --group name}, with the script's variables given. Anything else on such a line fails the test,
     * so the script cannot say more than what is granted here.
     */
    static final class AclScript {

        static List<AclBinding> read(Path script, Map<String, String> variables) throws IOException {
            List<AclBinding> acls = new ArrayList<>();
            for (String line : Files.readAllLines(script)) {
                if (line.startsWith("acl ")) {
                    acls.addAll(parse(line, variables));
                }
            }
            if (acls.isEmpty()) {
                throw new IllegalStateException("no acl lines in " + script);
            }
            return acls;
        }

        private static List<AclBinding> parse(String line, Map<String, String> variables) {
            String[] words = line.substring("acl ".length()).trim().split("\\s+");
            String principal = null;
            ResourcePattern resource = null;
            List<AclOperation> operations = new ArrayList<>();
            for (int i = 0; i < words.length; i += 2) {
                String value = unquote(words[i + 1], variables);
                switch (words[i]) {
                    case "--allow-principal" -> principal = value;
                    case "--operation" -> operations.add(AclOperation.fromString(value));
                    case "--topic" -> resource = new ResourcePattern(ResourceType.TOPIC, value, PatternType.LITERAL);
                    case "--group" -> resource = new ResourcePattern(ResourceType.GROUP, value, PatternType.LITERAL);
                    default -> throw new IllegalArgumentException("unexpected " + words[i] + " in: " + line);
                }
            }
            if (principal == null || resource == null || operations.isEmpty()
                    || operations.contains(AclOperation.UNKNOWN)) {
                throw new IllegalArgumentException("incomplete or unknown: " + line);
            }
            ResourcePattern on = resource;
            String who = principal;
            return operations.stream().map(op -> new AclBinding(on, new AccessControlEntry(who, "*", op,
                    AclPermissionType.ALLOW))).toList();
        }

        private static String unquote(String word, Map<String, String> variables) {
            String value = word.startsWith("\"") && word.endsWith("\"") ? word.substring(1, word.length() - 1) : word;
            if (value.startsWith("$")) {
                String name = value.substring(1);
                if (!variables.containsKey(name)) {
                    throw new IllegalArgumentException("no value for " + value);
                }
                return variables.get(name);
            }
            return value;
        }
    }
}
