package io.stepwise.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.infrastructure.ServiceProcess;
import io.stepwise.simulator.ClusterInfo;
import io.stepwise.simulator.FleetSimulator;
import io.stepwise.simulator.SimulatorSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;

/**
 * The whole system the bench measures: the infrastructure module's stack on the bench's broker and Postgres (in this
 * JVM), the fleet simulator in this JVM, and the packaged planner and its executors as separate processes; a further
 * executor can join while it runs ({@link #addExecutor}), as scaling out does.
 */
final class Stack implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    /** The executors' consumer group (executor-service's application.properties). */
    private static final String EXECUTOR_GROUP = "stepwise-executor";
    /** Most clusters the planner takes in one {@code POST /api/v1/clusters/batch}. */
    private static final int REGISTRATION_BATCH = 10_000;

    final String name;
    final FleetSimulator simulator;
    final String plannerDb;
    final String executorDb;
    private final io.stepwise.infrastructure.Stack services;

    Stack(String name, SimulatorSettings settings, Path jfrDir) throws IOException {
        this.name = name;
        Path home = Bench.home();
        Path logs = Files.createDirectories(home.resolve("bench/target/logs/" + name));
        simulator = FleetSimulator.start(0, settings);
        plannerDb = "bench_" + name + "_planner";
        executorDb = "bench_" + name + "_executor";
        Map<String, String> executorConfig = new HashMap<>(simulator.executorSettings());
        // poll intervals and workers are the executor's defaults
        executorConfig.put("quarkus.log.level", "WARN");
        services = io.stepwise.infrastructure.Stack.builder(home)
                .postgres(Bench.postgres())
                .kafka(Bench.kafka())
                .databases(plannerDb, executorDb) // the executors share one database, as in production
                .logs(logs)
                .plannerProperties(plannerConfig())
                .executorProperties(executorConfig)
                .jvmOptions(service -> jvmOptions(jfrDir, name + "-" + service))
                .build();
    }

    private static Map<String, String> plannerConfig() {
        Map<String, String> config = new HashMap<>(Bench.issuer().plannerProperties());
        config.put("stepwise.kafka.partitions", "12");
        config.put("quarkus.log.level", "WARN");
        return config;
    }

    private static String admin;

    /** Every request acts as an admin: who may do what is the planner's tests' subject, not the bench's. */
    static synchronized String admin() {
        if (admin == null) {
            admin = "Bearer " + Bench.issuer().token("bench", Duration.ofHours(12), "admin");
        }
        return admin;
    }

    ServiceProcess planner() {
        return services.planner();
    }

    List<ServiceProcess> executors() {
        return services.executors();
    }

    /** JFR when recording, then what {@code bench.serviceJvmOptions} adds (space-separated; to try JVM settings). */
    private static List<String> jvmOptions(Path jfrDir, String file) {
        List<String> options = new ArrayList<>();
        if (jfrDir != null) {
            // 256 frames: at the default 64 a status batch's samples lose the application frames below Hibernate's
            options.addAll(List.of("-XX:FlightRecorderOptions:stackdepth=256", "-XX:StartFlightRecording=settings=profile,"
                    + "dumponexit=true,filename=" + jfrDir.resolve(file + ".jfr")));
        }
        String extra = System.getProperty("bench.serviceJvmOptions", "").trim();
        if (!extra.isEmpty()) {
            options.addAll(List.of(extra.split("\\s+")));
        }
        return options;
    }

    /** Starts the planner (it creates the topics, 12 partitions, before any executor subscribes), then one executor. */
    Stack start() throws Exception {
        services.start();
        awaitPartitionsForEveryExecutor();
        return this;
    }

    /**
     * Starts a further executor and waits until the group's partitions are shared out anew with it: until then it
     * does no work, and a warm-up round would find its compiler quiet because it has nothing to compile.
     */
    ServiceProcess addExecutor() throws Exception {
        ServiceProcess executor = services.addExecutor();
        awaitPartitionsForEveryExecutor();
        return executor;
    }

    private void awaitPartitionsForEveryExecutor() throws Exception {
        long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                Bench.kafka().bootstrapServers()))) {
            while (true) {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(EXECUTOR_GROUP)).all().get()
                        .get(EXECUTOR_GROUP);
                long working = group.members().stream()
                        .filter(m -> !m.assignment().topicPartitions().isEmpty()).count();
                if (working >= executors().size()) {
                    return;
                }
                if (System.nanoTime() > until) {
                    throw new IllegalStateException(working + " of " + executors().size() + " executors hold partitions"
                            + " of the steps topic after 2 minutes");
                }
                Thread.sleep(200);
            }
        }
    }

    /** Registers simulated clusters in the planner's inventory, in batches (one transaction each). */
    void register(List<ClusterInfo> clusters, Map<String, String> labels) throws Exception {
        for (int from = 0; from < clusters.size(); from += REGISTRATION_BATCH) {
            List<Map<String, Object>> batch = new ArrayList<>();
            for (ClusterInfo c : clusters.subList(from, Math.min(clusters.size(), from + REGISTRATION_BATCH))) {
                batch.add(simulator.registration(c, labels));
            }
            HttpResponse<String> r = post("/api/v1/clusters/batch", Map.of("clusters", batch));
            if (r.statusCode() != 200) {
                throw new IllegalStateException("registering " + batch.size() + " clusters: " + r.statusCode() + " " + r.body());
            }
        }
    }

    private HttpRequest request(String path, Object body) throws IOException {
        return HttpRequest.newBuilder(URI.create(planner().url() + path))
                .header("Content-Type", "application/json").header("Authorization", admin()).timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
    }

    HttpResponse<String> post(String path, Object body) throws Exception {
        return HTTP.send(request(path, body), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(planner().url() + path))
                .header("Authorization", admin()).timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** Starts a rollout; its answer is the summary (the full view of 1,000 clusters would be written meanwhile). */
    String startRollout(Map<String, Object> body) throws Exception {
        HttpResponse<String> r = post("/api/v1/rollouts?view=summary", body);
        if (r.statusCode() != 202) {
            throw new IllegalStateException("rollout refused: " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body()).get("id").asText();
    }

    /** The rollout without its clusters (counts only), cheap enough to poll while the planner is measured. */
    JsonNode summary(String rolloutId) throws Exception {
        return get("/api/v1/rollouts/" + rolloutId + "?view=summary");
    }

    /**
     * Waits until the rollout reaches an end state or the deadline passes (then cancels it), printing progress;
     * answers the full view.
     */
    JsonNode awaitFinished(String rolloutId, long deadlineNanos, String label) throws Exception {
        long lastPrint = 0;
        while (true) {
            JsonNode s = summary(rolloutId);
            if (s.get("finishedAt").isTextual()) {
                break;
            }
            if (System.nanoTime() - lastPrint > 5_000_000_000L) {
                Bench.progress("  %s: %s %s", label, s.get("state").asText(), s.get("counts"));
                lastPrint = System.nanoTime();
            }
            if (System.nanoTime() > deadlineNanos) {
                Bench.progress("  %s: out of time, cancelling rollout %s", label, rolloutId);
                post("/api/v1/rollouts/" + rolloutId + "/cancel", Map.of());
                break;
            }
            Thread.sleep(1000);
        }
        return get("/api/v1/rollouts/" + rolloutId);
    }

    @Override
    public void close() throws InterruptedException {
        services.close();
        simulator.close();
    }
}
