package io.stepwise.system;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.infrastructure.Kafka;
import io.stepwise.infrastructure.Postgres;
import io.stepwise.infrastructure.ServiceProcess;
import io.stepwise.simulator.ClusterInfo;
import io.stepwise.simulator.FleetSimulator;
import io.stepwise.simulator.SimulatorSettings;
import io.stepwise.testing.IssuerResource;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The whole system for one test class: the JVM's shared broker and Postgres (or, with {@link #ownBacking()}, a
 * Postgres and a broker of its own that the test may stop), the fleet simulator in this JVM, and the packaged planners
 * and executors as separate processes (the infrastructure module's {@code Stack}).
 *
 * <p>Configure before {@link #start()}: {@code new Stack("x", settings).services(2, 1).plannerProperty(...).start()}.
 */
final class Stack implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    /** The system tests act as an admin (who may do what is the planner's own tests' subject). */
    static final String ADMIN = "Bearer " + IssuerResource.token("system-test", "admin");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final FleetSimulator simulator;
    private final String name;
    private final Path home;
    private final Path logs;
    private final Map<String, String> plannerConfig = new HashMap<>();
    private final Map<String, String> executorConfig = new HashMap<>();
    private int planners = 1;
    private int executors = 1;
    private boolean ownBacking;
    private boolean namedExecutors;
    private io.stepwise.infrastructure.Stack services;
    /** The first planner and the first executor. */
    ServiceProcess planner;
    ServiceProcess executor;

    Stack(String name, SimulatorSettings settings) throws IOException {
        this.name = name;
        home = Path.of(System.getProperty("stepwise.home", "..")).toAbsolutePath().normalize();
        logs = Files.createDirectories(home.resolve("system-tests/target/logs/" + name));
        simulator = FleetSimulator.start(0, settings);
        plannerConfig.putAll(IssuerResource.issuer().plannerProperties());
        plannerConfig.put("stepwise.kafka.partitions", "4");
        // A consumer killed with -9 keeps its partitions until its session times out (45 s by default), and a restarted
        // one joins only then: these tests kill and restart services, so they give up a dead consumer after 10 s.
        plannerConfig.put("mp.messaging.incoming.step-status.session.timeout.ms", "10000");
        plannerConfig.put("mp.messaging.incoming.step-status.heartbeat.interval.ms", "3000");
        executorConfig.put("mp.messaging.incoming.steps.session.timeout.ms", "10000");
        executorConfig.put("mp.messaging.incoming.steps.heartbeat.interval.ms", "3000");
        executorConfig.putAll(simulator.executorSettings());
        executorConfig.put("stepwise.executor.weaviate.backup-poll-interval", "50ms");
        executorConfig.put("stepwise.executor.weaviate.sync-poll-interval", "50ms");
        executorConfig.put("stepwise.executor.weaviate.nodes-poll-interval", "50ms");
        executorConfig.put("stepwise.executor.actuator.kubernetes.poll-interval", "50ms");
        // An executor killed with -9 leaves its steps to the next one once their lease expired.
        executorConfig.put("stepwise.executor.lease-duration", "5s");
        executorConfig.put("stepwise.executor.sweep-interval", "500ms");
        // Pachyderm dumps: kept across the executor's restarts (CrashSafetyIT kills it), as a volume would be.
        executorConfig.put("stepwise.executor.artifacts.directory", artifacts().toString());
    }

    /** How many planners (sharing one database) and executors (sharing one database and consumer group) to start. */
    Stack services(int plannerCount, int executorCount) {
        this.planners = plannerCount;
        this.executors = executorCount;
        return this;
    }

    Stack plannerProperty(String key, String value) {
        plannerConfig.put(key, value);
        return this;
    }

    Stack executorProperty(String key, String value) {
        executorConfig.put(key, value);
        return this;
    }

    /**
     * A Postgres and a broker for this stack alone, started with it and stopped when it closes, so that a test may
     * take them away ({@link #postgres()}, {@link #kafka()}) without disturbing the other test classes of the JVM.
     */
    Stack ownBacking() {
        this.ownBacking = true;
        return this;
    }

    /**
     * Each executor owns its attempts under its own fixed name ({@code executor}, {@code executor-2}...,
     * {@code stepwise.executor.instance-id}), kept across its restarts as a StatefulSet's pod names are, so that a test
     * can tell from the ledger which executor runs what. Without it an executor's id is generated at each start.
     */
    Stack namedExecutors() {
        this.namedExecutors = true;
        return this;
    }

    Stack start() throws InterruptedException {
        io.stepwise.infrastructure.Stack.Builder builder = io.stepwise.infrastructure.Stack.builder(home)
                .databases(name.replace('-', '_') + "_planner", name.replace('-', '_') + "_executor")
                .logs(logs)
                .services(planners, executors)
                .plannerProperties(plannerConfig)
                .executorProperties(executorConfig)
                .jvmOptions(service -> namedExecutors && service.startsWith("executor")
                        ? List.of("-Dstepwise.executor.instance-id=" + service) : List.of());
        if (ownBacking) {
            builder.postgres(Postgres.builder()).kafka(Kafka.builder().partitions(4));
        } else {
            builder.postgres(PostgresResource.postgres()).kafka(KafkaResource.kafka());
        }
        services = builder.build().start();
        planner = services.planner();
        executor = services.executor();
        return this;
    }

    List<ServiceProcess> planners() {
        return services.planners();
    }

    List<ServiceProcess> executors() {
        return services.executors();
    }

    Postgres postgres() {
        return services.postgres();
    }

    Kafka kafka() {
        return services.kafka();
    }

    /** Where the executors keep their Pachyderm dumps ({@code stepwise.executor.artifacts.directory}). */
    Path artifacts() {
        return logs.resolve("artifacts");
    }

    /** A connection to the executors' ledger database, to see which executor owns what. */
    Connection executorDatabase() throws SQLException {
        return services.postgres().connect(services.executorDatabase());
    }

    /** Registers a simulated cluster in the planner's inventory, as an operator would. */
    void register(ClusterInfo c, Map<String, String> labels) throws Exception {
        register(simulator.registration(c, labels));
    }

    /** Registers a cluster with this registration body (as {@link FleetSimulator#registration} makes it, or edited). */
    void register(Map<String, Object> registration) throws Exception {
        HttpResponse<String> r = post("/api/v1/clusters", registration);
        if (r.statusCode() != 201) {
            throw new IllegalStateException("registering " + registration.get("id") + ": " + r.statusCode() + " "
                    + r.body());
        }
    }

    HttpResponse<String> post(String path, Object body) throws Exception {
        return post(planner, path, body);
    }

    HttpResponse<String> post(ServiceProcess to, String path, Object body) throws Exception {
        return postAsync(to, path, body).join();
    }

    /** Sends the request at once and answers when it is answered: two of these race as two clients would. */
    CompletableFuture<HttpResponse<String>> postAsync(ServiceProcess to, String path, Object body) throws IOException {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(to.url() + path))
                .header("Content-Type", "application/json").header("Authorization", ADMIN)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs an action without a body ({@code /pause}, {@code /retry}...) and answers the rollout it returns. */
    JsonNode act(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(planner.url() + path))
                .header("Authorization", ADMIN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 && r.statusCode() != 202) {
            throw new IllegalStateException("POST " + path + ": " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(planner.url() + path))
                .header("Authorization", ADMIN).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** The HTTP status of a GET on a service, without a token ({@code /q/health/ready}); 0 when it does not answer. */
    static int status(ServiceProcess service, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(service.url() + path)).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    String startRollout(Map<String, Object> body) throws Exception {
        HttpResponse<String> r = post("/api/v1/rollouts", body);
        if (r.statusCode() != 202) {
            throw new IllegalStateException("rollout refused: " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body()).get("id").asText();
    }

    JsonNode rollout(String rolloutId) throws Exception {
        return get("/api/v1/rollouts/" + rolloutId);
    }

    /** One cluster of a rollout, with its steps. */
    static JsonNode cluster(JsonNode rollout, String clusterId) {
        for (JsonNode c : rollout.get("clusters")) {
            if (c.get("clusterId").asText().equals(clusterId)) {
                return c;
            }
        }
        throw new AssertionError("no cluster " + clusterId + " in rollout " + rollout.get("id"));
    }

    /** The first step of this kind of a rollout's cluster (after {@code afterSeq}). */
    static JsonNode step(JsonNode rollout, String clusterId, String kind, int afterSeq) {
        for (JsonNode s : cluster(rollout, clusterId).get("steps")) {
            if (s.get("kind").asText().equals(kind) && s.get("seq").asInt() > afterSeq) {
                return s;
            }
        }
        throw new AssertionError("no " + kind + " step after " + afterSeq + " for " + clusterId + ": "
                + cluster(rollout, clusterId));
    }

    static JsonNode step(JsonNode rollout, String clusterId, String kind) {
        return step(rollout, clusterId, kind, 0);
    }

    /** The step of a rollout's cluster with this seq. */
    static JsonNode stepAt(JsonNode rollout, String clusterId, int seq) {
        for (JsonNode s : cluster(rollout, clusterId).get("steps")) {
            if (s.get("seq").asInt() == seq) {
                return s;
            }
        }
        throw new AssertionError("no step " + seq + " for " + clusterId + ": " + cluster(rollout, clusterId));
    }

    /** The state of the first step of this kind of a rollout's cluster after {@code afterSeq}; NONE before it is planned. */
    static String stepState(JsonNode rollout, String clusterId, String kind, int afterSeq) {
        for (JsonNode s : cluster(rollout, clusterId).get("steps")) {
            if (s.get("kind").asText().equals(kind) && s.get("seq").asInt() > afterSeq) {
                return s.get("state").asText();
            }
        }
        return "NONE";
    }

    static String stepState(JsonNode rollout, String clusterId, String kind) {
        return stepState(rollout, clusterId, kind, 0);
    }

    /** Waits until the rollout reaches an end state, failing early with its progress if it goes wrong. */
    JsonNode awaitFinished(String rolloutId, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(500))
                .until(() -> get("/api/v1/rollouts/" + rolloutId).get("finishedAt").isTextual());
        try {
            return get("/api/v1/rollouts/" + rolloutId);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every record of a topic on this stack's broker, from its beginning to its end now. */
    List<ConsumerRecord<String, String>> records(String topic) {
        Properties props = new Properties();
        props.put("bootstrap.servers", services.kafka().bootstrapServers());
        props.put("group.id", "system-test-reader-" + UUID.randomUUID());
        props.put("enable.auto.commit", "false");
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> all = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (partitions.isEmpty()) {
                return all;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within 30 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
            }
        }
        return all;
    }

    /** The JSON values of a topic's records whose header {@code ce_type} is this type. */
    List<JsonNode> events(String topic, String type) {
        List<JsonNode> events = new ArrayList<>();
        for (ConsumerRecord<String, String> r : records(topic)) {
            var header = r.headers().lastHeader("ce_type");
            if (header != null && new String(header.value(), java.nio.charset.StandardCharsets.UTF_8).equals(type)) {
                try {
                    JsonNode event = JSON.readTree(r.value());
                    ((com.fasterxml.jackson.databind.node.ObjectNode) event).put("recordTimestamp", r.timestamp());
                    events.add(event);
                } catch (IOException e) {
                    throw new IllegalStateException("unreadable " + type + " on " + topic + ": " + r.value(), e);
                }
            }
        }
        return events;
    }

    @Override
    public void close() throws InterruptedException {
        if (services != null) {
            services.close();
        }
        simulator.close();
    }
}
