package io.stepwise.system;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The whole system for one test class: the JVM's shared broker and Postgres, the fleet simulator in this JVM, and
 * the packaged planner and executor as separate processes (the infrastructure module's {@code Stack}).
 */
final class Stack implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    /** The system tests act as an admin (who may do what is the planner's own tests' subject). */
    static final String ADMIN = "Bearer " + IssuerResource.token("system-test", "admin");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final FleetSimulator simulator;
    private final io.stepwise.infrastructure.Stack services;
    ServiceProcess planner;
    ServiceProcess executor;

    Stack(String name, SimulatorSettings settings) throws IOException {
        Path home = Path.of(System.getProperty("stepwise.home", "..")).toAbsolutePath().normalize();
        Path logs = Files.createDirectories(home.resolve("system-tests/target/logs/" + name));
        simulator = FleetSimulator.start(0, settings);
        Map<String, String> executorConfig = new HashMap<>(simulator.executorSettings());
        executorConfig.put("stepwise.executor.weaviate.backup-poll-interval", "50ms");
        executorConfig.put("stepwise.executor.weaviate.sync-poll-interval", "50ms");
        executorConfig.put("stepwise.executor.weaviate.nodes-poll-interval", "50ms");
        executorConfig.put("stepwise.executor.actuator.kubernetes.poll-interval", "50ms");
        // An executor killed with -9 leaves its steps to the next one once their lease expired.
        executorConfig.put("stepwise.executor.lease-duration", "5s");
        executorConfig.put("stepwise.executor.sweep-interval", "500ms");
        // Pachyderm dumps: kept across the executor's restarts (CrashSafetyIT kills it), as a volume would be.
        executorConfig.put("stepwise.executor.artifacts.directory", logs.resolve("artifacts").toString());
        services = io.stepwise.infrastructure.Stack.builder(home)
                .postgres(PostgresResource.postgres())
                .kafka(KafkaResource.kafka())
                .databases(name + "_planner", name + "_executor")
                .logs(logs)
                .plannerProperties(plannerConfig())
                .executorProperties(executorConfig)
                .build();
    }

    /** The planner as an operator would set it up: its topics, and the identity provider it trusts. */
    private static Map<String, String> plannerConfig() {
        Map<String, String> config = new HashMap<>(IssuerResource.issuer().plannerProperties());
        config.put("stepwise.kafka.partitions", "4");
        return config;
    }

    Stack start() throws InterruptedException {
        services.start();
        planner = services.planner();
        executor = services.executor();
        return this;
    }

    /** Registers a simulated cluster in the planner's inventory, as an operator would. */
    void register(ClusterInfo c, Map<String, String> labels) throws Exception {
        HttpResponse<String> r = post("/api/v1/clusters", simulator.registration(c, labels));
        if (r.statusCode() != 201) {
            throw new IllegalStateException("registering " + c.id() + ": " + r.statusCode() + " " + r.body());
        }
    }

    HttpResponse<String> post(String path, Object body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(planner.url() + path))
                .header("Content-Type", "application/json").header("Authorization", ADMIN)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(planner.url() + path))
                .header("Authorization", ADMIN).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    String startRollout(Map<String, Object> body) throws Exception {
        HttpResponse<String> r = post("/api/v1/rollouts", body);
        if (r.statusCode() != 202) {
            throw new IllegalStateException("rollout refused: " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body()).get("id").asText();
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

    @Override
    public void close() throws InterruptedException {
        services.close();
        simulator.close();
    }
}
