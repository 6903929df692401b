package io.stepwise.local;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs Stepwise on one machine with no Docker: real PostgreSQL binaries (data kept under {@code .stepwise/}
 * between runs) and the services as separate processes. Ctrl-C stops everything it started.
 */
@Command(name = "stepwise", mixinStandardHelpOptions = true,
        description = "Starts the local Stepwise stack: Postgres and the planner service.")
public class LocalStack implements Callable<Integer> {

    @Option(names = "--home", description = "The Stepwise checkout (default: current directory).")
    Path home = Path.of("").toAbsolutePath();

    @Option(names = "--data", description = "Where data and logs live (default: <home>/.stepwise).")
    Path data;

    @Option(names = "--postgres-port", defaultValue = "15432", description = "Postgres port (default: ${DEFAULT-VALUE}).")
    int postgresPort;

    @Option(names = "--planner-port", defaultValue = "8080", description = "Planner HTTP port (default: ${DEFAULT-VALUE}).")
    int plannerPort;

    @Option(names = "--startup-timeout", defaultValue = "PT3M", description = "How long a service may take to become ready.")
    Duration startupTimeout;

    private final List<Process> services = new ArrayList<>();
    private volatile boolean stopping;
    private EmbeddedPostgres postgres;

    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.exit(new CommandLine(new LocalStack()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path dataDir = data != null ? data : home.resolve(".stepwise");
        Path logs = Files.createDirectories(dataDir.resolve("logs"));
        Path plannerJar = home.resolve("planner-service/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(plannerJar)) {
            return fail("the planner is not built (" + plannerJar + " is missing): run ./stepwise, which builds first");
        }
        for (var port : Map.of("Postgres", postgresPort, "planner", plannerPort).entrySet()) {
            if (!isFree(port.getValue())) {
                return fail("port " + port.getValue() + " (" + port.getKey() + ") is already in use: stop what holds it,"
                        + " or choose another with --" + port.getKey().toLowerCase() + "-port");
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
        String jdbcUrl = "jdbc:postgresql://localhost:" + postgresPort + "/stepwise";

        say("Starting the planner on port " + plannerPort + " (log: " + logs.resolve("planner.log") + ")");
        start("planner", plannerJar, logs.resolve("planner.log"), Map.of(
                "QUARKUS_HTTP_PORT", String.valueOf(plannerPort),
                "STEPWISE_DB_URL", jdbcUrl,
                "STEPWISE_DB_USER", "postgres",
                "STEPWISE_DB_PASSWORD", "postgres"));
        String planner = "http://localhost:" + plannerPort;
        if (!awaitReady("planner", planner + "/q/health/ready", logs.resolve("planner.log"))) {
            return 1;
        }

        System.out.println("""

                Stepwise is up.
                  API          %1$s/api/v1
                  Swagger UI   %1$s/q/swagger-ui
                  OpenAPI      %1$s/q/openapi
                  Health       %1$s/q/health
                  Postgres     jdbc:postgresql://localhost:%2$d/stepwise (user postgres)

                Try a plan preview:
                  curl -s -X POST %1$s/api/v1/plans/preview -H 'Content-Type: application/json' \\
                    -d '{"product":"weaviate","targetVersion":"1.30","clusters":[{"id":"demo","version":"1.22.5","nodes":3}]}'

                Press Ctrl-C to stop everything.
                """.formatted(planner, postgresPort));

        CountDownLatch anyServiceExited = new CountDownLatch(1);
        services.forEach(p -> p.onExit().thenRun(anyServiceExited::countDown));
        anyServiceExited.await();
        if (stopping) {
            return 0;
        }
        return fail("a service stopped on its own; see the logs in " + logs);
    }

    private void start(String name, Path jar, Path log, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-jar", jar.toString())
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        services.add(builder.start());
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
