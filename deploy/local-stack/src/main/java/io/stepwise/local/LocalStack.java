package io.stepwise.local;

import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import io.stepwise.simulator.FleetSimulator;
import io.stepwise.simulator.SimulatorSettings;
import io.stepwise.testing.PlainJvmLogging;
import io.stepwise.testing.ServiceProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs Stepwise on one machine with no Docker: real PostgreSQL binaries and the real Kafka broker (data of both
 * kept under {@code .stepwise/} between runs), the fleet simulator with a demo fleet, and the planner and the
 * executor as separate processes. Ctrl-C stops everything it started.
 */
@Command(name = "stepwise", mixinStandardHelpOptions = true,
        description = "Starts the local Stepwise stack: Postgres, Kafka, the fleet simulator with a demo fleet,"
                + " the planner and the executor.")
public class LocalStack implements Callable<Integer> {

    @Option(names = "--home", description = "The Stepwise checkout (default: current directory).")
    Path home = Path.of("").toAbsolutePath();

    @Option(names = "--data", description = "Where data and logs live (default: <home>/.stepwise).")
    Path data;

    @Option(names = "--postgres-port", defaultValue = "15432", description = "Postgres port (default: ${DEFAULT-VALUE}).")
    int postgresPort;

    @Option(names = "--planner-port", defaultValue = "8080", description = "Planner HTTP port (default: ${DEFAULT-VALUE}).")
    int plannerPort;

    @Option(names = "--executor-port", defaultValue = "8081", description = "Executor HTTP port (default: ${DEFAULT-VALUE}).")
    int executorPort;

    @Option(names = "--simulator-port", defaultValue = "8090", description = "Fleet simulator port (default: ${DEFAULT-VALUE}).")
    int simulatorPort;

    @Option(names = "--kafka-port", defaultValue = "19092", description = "Kafka port (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--demo-fleet", negatable = true, fallbackValue = "true",
            description = "Create and register the demo fleet (50 Weaviate, 10 Pachyderm clusters); on by default.")
    boolean demoFleet = true;

    @Option(names = "--startup-timeout", defaultValue = "PT3M", description = "How long a service may take to become ready.")
    Duration startupTimeout;

    private final List<Process> services = new ArrayList<>();
    private volatile boolean stopping;
    private EmbeddedPostgres postgres;
    private EmbeddedKafkaBroker kafka;
    private Leftovers leftovers;
    private FleetSimulator simulator;

    public static void main(String[] args) {
        PlainJvmLogging.warningsOnly();
        System.exit(new CommandLine(new LocalStack()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path dataDir = data != null ? data : home.resolve(".stepwise");
        Path logs = Files.createDirectories(dataDir.resolve("logs"));
        Path plannerJar = home.resolve("planner-service/target/quarkus-app/quarkus-run.jar");
        Path executorJar = home.resolve("executor-service/target/quarkus-app/quarkus-run.jar");
        for (Path jar : List.of(plannerJar, executorJar)) {
            if (!Files.isRegularFile(jar)) {
                return fail("the services are not built (" + jar + " is missing): run ./stepwise, which builds first");
            }
        }
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("postgres", postgresPort);
        ports.put("kafka", kafkaPort);
        ports.put("simulator", simulatorPort);
        ports.put("planner", plannerPort);
        ports.put("executor", executorPort);
        leftovers = new Leftovers(dataDir);
        Optional<Long> running = leftovers.runningLauncher();
        if (running.isPresent()) {
            return fail("Stepwise is already running from " + dataDir + " (launcher pid " + running.get()
                    + "): stop it first, or use another --data folder");
        }
        int stopped = leftovers.stop(dataDir.resolve("postgres"));
        if (stopped > 0) {
            say("Stopped " + stopped + " process(es) an earlier run left behind");
        }
        for (var port : ports.entrySet()) {
            if (!isFree(port.getValue())) {
                return fail("port " + port.getValue() + " (" + port.getKey() + ") is already in use: stop what holds it,"
                        + " or choose another with --" + port.getKey() + "-port");
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "stepwise-shutdown"));

        say("Starting Postgres on port " + postgresPort + " (data in " + dataDir.resolve("postgres") + ")");
        postgres = EmbeddedPostgres.builder()
                .setPort(postgresPort)
                .setDataDirectory(dataDir.resolve("postgres"))
                .setCleanDataDirectory(false)
                .start();
        createDatabase("stepwise");
        createDatabase("stepwise_executor");

        say("Starting Kafka on port " + kafkaPort + " (data in " + dataDir.resolve("kafka") + ")");
        kafka = LocalKafka.start(kafkaPort, dataDir.resolve("kafka"));
        String bootstrap = "localhost:" + kafkaPort;

        say("Starting the fleet simulator on port " + simulatorPort);
        // quicker than real clusters, so a demo rollout of the whole fleet finishes in minutes
        simulator = FleetSimulator.start(simulatorPort, SimulatorSettings.defaults()
                .withBackupDuration(Duration.ofMillis(400))
                .withNodeRestartDuration(Duration.ofMillis(150))
                .withSyncDuration(Duration.ofMillis(100)));

        say("Starting the planner on port " + plannerPort + " (log: " + logs.resolve("planner.log") + ")");
        start(plannerJar, logs.resolve("planner.log"), properties(
                "quarkus.http.port", String.valueOf(plannerPort),
                "quarkus.datasource.jdbc.url", jdbc("stepwise"),
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres",
                "kafka.bootstrap.servers", bootstrap));
        say("Starting the executor on port " + executorPort + " (log: " + logs.resolve("executor.log") + ")");
        Map<String, String> executorProperties = new LinkedHashMap<>(simulator.executorSettings());
        executorProperties.putAll(properties(
                "quarkus.http.port", String.valueOf(executorPort),
                "quarkus.datasource.jdbc.url", jdbc("stepwise_executor"),
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres",
                "kafka.bootstrap.servers", bootstrap,
                "stepwise.executor.weaviate.backup-poll-interval", "200ms",
                "stepwise.executor.weaviate.sync-poll-interval", "200ms",
                "stepwise.executor.weaviate.nodes-poll-interval", "200ms",
                "stepwise.executor.actuator.kubernetes.poll-interval", "200ms",
                // Pachyderm dumps, kept between runs like the databases
                "stepwise.executor.artifacts.directory", dataDir.resolve("artifacts").toString()));
        start(executorJar, logs.resolve("executor.log"), executorProperties);
        String planner = "http://localhost:" + plannerPort;
        if (!awaitReady("planner", planner + "/q/health/ready", logs.resolve("planner.log"))
                || !awaitReady("executor", "http://localhost:" + executorPort + "/q/health/ready",
                logs.resolve("executor.log"))) {
            return 1;
        }
        if (demoFleet) {
            int registered = new DemoFleet(simulator, planner).create();
            say("Demo fleet ready: " + registered + " clusters in the simulator and the inventory (label fleet=demo)");
        }

        System.out.println("""

                Stepwise is up.
                  API          %1$s/api/v1
                  Swagger UI   %1$s/q/swagger-ui
                  OpenAPI      %1$s/q/openapi
                  Health       %1$s/q/health
                  Simulator    %3$s/admin/clusters
                  Kafka        localhost:%4$d
                  Postgres     jdbc:postgresql://localhost:%2$d/stepwise (user postgres)

                Preview the demo fleet's upgrade, then run it and watch it:
                  curl -s -X POST %1$s/api/v1/plans/preview?view=summary -H 'Content-Type: application/json' \\
                    -d '{"product":"weaviate","targetVersion":"1.30","selector":"fleet=demo"}'
                  curl -s -X POST %1$s/api/v1/rollouts -H 'Content-Type: application/json' \\
                    -d '{"product":"weaviate","targetVersion":"1.30","selector":"fleet=demo","strategy":{"maxParallel":10}}'
                  curl -s %1$s/api/v1/rollouts/<id>          # progress of every cluster and step

                Press Ctrl-C to stop everything.
                """.formatted(planner, postgresPort, simulator.baseUrl(), kafkaPort));

        CountDownLatch anyServiceExited = new CountDownLatch(1);
        services.forEach(p -> p.onExit().thenRun(anyServiceExited::countDown));
        anyServiceExited.await();
        if (stopping) {
            return 0;
        }
        return fail("a service stopped on its own; see the logs in " + logs);
    }

    /** Starts a packaged service; its settings go in as system properties, which win over its defaults. */
    private void start(Path jar, Path log, Map<String, String> properties) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx512m", ServiceProcess.PRODUCTION_GC));
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        Process process = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        services.add(process);
        leftovers.record(process);
    }

    private static Map<String, String> properties(String... keyValues) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put(keyValues[i], keyValues[i + 1]);
        }
        return properties;
    }

    private String jdbc(String database) {
        return "jdbc:postgresql://localhost:" + postgresPort + "/" + database;
    }

    private boolean awaitReady(String name, String url, Path log) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(startupTimeout);
        while (Instant.now().isBefore(deadline)) {
            if (services.stream().anyMatch(p -> !p.isAlive())) {
                fail("the " + name + " stopped while starting; last lines of " + log + ":\n" + tail(log));
                return false;
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return true;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        fail("the " + name + " was not ready after " + startupTimeout.toSeconds() + " s; last lines of " + log
                + ":\n" + tail(log));
        return false;
    }

    private void createDatabase(String name) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
             ResultSet exists = s.executeQuery("select 1 from pg_database where datname = '" + name + "'")) {
            if (!exists.next()) {
                s.execute("create database " + name);
            }
        }
    }

    /** Stops the services first (they hold connections), then Postgres; waits so no process is left behind. */
    private synchronized void stopAll() {
        stopping = true;
        for (Process p : services) {
            p.destroy();
        }
        for (Process p : services) {
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
        services.clear();
        if (leftovers != null) {
            try {
                leftovers.clear();
            } catch (IOException e) {
                System.err.println("stepwise: could not remove the pid file: " + e.getMessage());
            }
        }
        if (simulator != null) {
            simulator.close();
            simulator = null;
        }
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                System.err.println("stepwise: Postgres did not stop cleanly: " + e.getMessage());
            }
            postgres = null;
        }
        say("Stopped.");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void say(String message) {
        System.out.println("stepwise: " + message);
    }

    private static int fail(String message) {
        System.err.println("stepwise: " + message);
        return 1;
    }
}
