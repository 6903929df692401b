package io.stepwise.local;

import io.stepwise.infrastructure.Backing;
import io.stepwise.infrastructure.Kafka;
import io.stepwise.infrastructure.LocalIssuer;
import io.stepwise.infrastructure.PlainJvmLogging;
import io.stepwise.infrastructure.Ports;
import io.stepwise.infrastructure.Postgres;
import io.stepwise.infrastructure.ServiceProcess;
import io.stepwise.infrastructure.Stack;
import io.stepwise.simulator.FleetSimulator;
import io.stepwise.simulator.SimulatorSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs Stepwise on one machine with no Docker: real PostgreSQL binaries and the real Kafka broker (data of both
 * kept under {@code .stepwise/} between runs), the fleet simulator with a demo fleet, and the planner and the
 * executor as separate processes. Ctrl-C stops everything it started.
 */
@Command(name = "stepwise up", mixinStandardHelpOptions = true,
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

    @Option(names = "--issuer-port", defaultValue = "8088",
            description = "Port of the local identity provider that signs the local tokens (default: ${DEFAULT-VALUE}).")
    int issuerPort;

    @Option(names = "--auth", negatable = true, fallbackValue = "true",
            description = "Require a token on every API call (on by default); --no-auth opens the API to anyone, for"
                    + " demos only.")
    boolean auth = true;

    @Option(names = "--startup-timeout", defaultValue = "PT3M", description = "How long a service may take to become ready.")
    Duration startupTimeout;

    /** How long the tokens written to the data folder stay valid: they are for this machine only. */
    private static final Duration LOCAL_TOKEN_VALIDITY = Duration.ofDays(365);

    private volatile boolean stopping;
    private Stack stack;
    private LocalIssuer issuer;
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
                return fail("the services are not built (" + jar + " is missing): run ./stepwise up, which builds first");
            }
        }
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("postgres", postgresPort);
        ports.put("kafka", kafkaPort);
        ports.put("simulator", simulatorPort);
        ports.put("planner", plannerPort);
        ports.put("executor", executorPort);
        if (auth) {
            ports.put("issuer", issuerPort);
        }
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
            if (!Ports.isFree(port.getValue())) {
                return fail("port " + port.getValue() + " (" + port.getKey() + ") is already in use: stop what holds it,"
                        + " or choose another with --" + port.getKey() + "-port");
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "stepwise-shutdown"));

        Map<String, String> plannerProperties = new LinkedHashMap<>();
        plannerProperties.put("quarkus.swagger-ui.enable", "true");
        String adminToken = null;
        Path tokens = dataDir.resolve("tokens");
        if (auth) {
            issuer = LocalIssuer.start(dataDir.resolve("auth"), issuerPort);
            issuer.writeTokens(tokens, LOCAL_TOKEN_VALIDITY);
            plannerProperties.putAll(issuer.plannerProperties());
            adminToken = issuer.token("local-launcher", Duration.ofHours(1), "admin");
            say("Tokens for the API are in " + tokens + " (one per role: viewer, operator, approver, admin)");
        } else {
            plannerProperties.put("stepwise.security.enabled", "false");
            say("WARNING: --no-auth: the API takes no token and lets anyone do anything. For demos only.");
        }

        say("Starting the fleet simulator on port " + simulatorPort);
        // quicker than real clusters, so a demo rollout of the whole fleet finishes in minutes
        simulator = FleetSimulator.start(simulatorPort, SimulatorSettings.defaults()
                .withBackupDuration(Duration.ofMillis(400))
                .withNodeRestartDuration(Duration.ofMillis(150))
                .withSyncDuration(Duration.ofMillis(100)));
        Map<String, String> executorProperties = new LinkedHashMap<>(simulator.executorSettings());
        executorProperties.put("stepwise.executor.weaviate.backup-poll-interval", "200ms");
        executorProperties.put("stepwise.executor.weaviate.sync-poll-interval", "200ms");
        executorProperties.put("stepwise.executor.weaviate.nodes-poll-interval", "200ms");
        executorProperties.put("stepwise.executor.actuator.kubernetes.poll-interval", "200ms");
        // Pachyderm dumps, kept between runs like the databases
        executorProperties.put("stepwise.executor.artifacts.directory", dataDir.resolve("artifacts").toString());
        // no Docker here: the real binaries and broker, their data kept under the data folder between runs
        stack = Stack.builder(home)
                .postgres(Postgres.builder().backing(Backing.EMBEDDED).port(postgresPort)
                        .dataDirectory(dataDir.resolve("postgres")))
                .kafka(Kafka.builder().backing(Backing.EMBEDDED).port(kafkaPort).logDirectory(dataDir.resolve("kafka"))
                        // topics created by a first subscriber get enough partitions for several executors
                        .partitions(12))
                .databases("stepwise", "stepwise_executor")
                .logs(logs)
                .ports(plannerPort, executorPort)
                .heap("512m")
                .readyWithin(startupTimeout)
                .plannerProperties(plannerProperties)
                .executorProperties(executorProperties)
                .onLaunch(this::record)
                .progress(LocalStack::say)
                .build();
        try {
            stack.start();
        } catch (RuntimeException e) {
            return fail(e.getMessage());
        }
        String planner = stack.planner().url();
        if (demoFleet) {
            int registered = new DemoFleet(simulator, planner, adminToken).create();
            say("Demo fleet ready: " + registered + " clusters in the simulator and the inventory (label fleet=demo)");
        }

        String bearer = auth ? " -H \"Authorization: Bearer $(cat " + home.relativize(tokens.toAbsolutePath())
                + "/operator)\"" : "";
        System.out.println("""

                Stepwise is up.
                  Console      %1$s/  (sign in with any of the four roles)
                  API          %1$s/api/v1
                  Swagger UI   %1$s/q/swagger-ui
                  OpenAPI      %1$s/q/openapi
                  Health       %1$s/q/health
                  Simulator    %3$s/admin/clusters
                  Kafka        localhost:%4$d
                  Postgres     jdbc:postgresql://localhost:%2$d/stepwise (user postgres)
                %5$s
                Preview the demo fleet's upgrade, then run it and watch it:
                  curl -s -X POST %1$s/api/v1/plans/preview?view=summary -H 'Content-Type: application/json'%6$s \\
                    -d '{"product":"weaviate","targetVersion":"1.30","selector":"fleet=demo"}'
                  curl -s -X POST %1$s/api/v1/rollouts -H 'Content-Type: application/json'%6$s \\
                    -d '{"product":"weaviate","targetVersion":"1.30","selector":"fleet=demo","strategy":{"maxParallel":10}}'
                  curl -s %1$s/api/v1/rollouts/<id>%6$s          # progress of every cluster and step
                or with the command line (./stepwise --help):
                  %7$s./stepwise plan --product weaviate --target 1.30 --selector fleet=demo
                  %7$s./stepwise rollout start --product weaviate --target 1.30 --selector fleet=demo --max-parallel 10 --wait

                Press Ctrl-C to stop everything.
                """.formatted(planner, postgresPort, simulator.baseUrl(), kafkaPort, auth
                ? "  Tokens       " + tokens + "/{viewer,operator,approver,admin} (issuer " + issuer.url() + ")\n"
                : "  Auth         OFF (--no-auth): anyone may do anything\n", bearer, commandLineSettings(planner,
                auth && !tokens.toAbsolutePath().equals(home.resolve(".stepwise/tokens").toAbsolutePath())
                        ? tokens : null)));

        CountDownLatch anyServiceExited = new CountDownLatch(1);
        for (ServiceProcess service : List.of(stack.planner(), stack.executor())) {
            service.onExit().thenRun(anyServiceExited::countDown);
        }
        anyServiceExited.await();
        if (stopping) {
            return 0;
        }
        return fail("a service stopped on its own; see the logs in " + logs);
    }

    /** Writes down a service's pid as soon as it runs, so that a launcher killed hard leaves no stranger behind. */
    private void record(ServiceProcess service) {
        try {
            leftovers.record(service.pid());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the services first (they hold connections), then Kafka and Postgres; waits so nothing is left behind. */
    private synchronized void stopAll() {
        stopping = true;
        if (stack != null) {
            try {
                stack.close();
            } catch (InterruptedException | RuntimeException e) {
                System.err.println("stepwise: the stack did not stop cleanly: " + e.getMessage());
            }
            stack = null;
        }
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
        if (issuer != null) {
            issuer.close();
            issuer = null;
        }
        say("Stopped.");
    }

    private static void say(String message) {
        System.out.println("stepwise: " + message);
    }

    private static int fail(String message) {
        System.err.println("stepwise: " + message);
        return 1;
    }

    /**
     * What the command line needs to be told about this stack: nothing for the default port and data folder (it
     * finds the planner and the tokens itself), else STEPWISE_URL and STEPWISE_TOKEN before the command.
     */
    static String commandLineSettings(String planner, Path tokensElsewhere) {
        String settings = planner.equals("http://localhost:8080") ? "" : "STEPWISE_URL=" + planner + " ";
        return tokensElsewhere == null ? settings
                : settings + "STEPWISE_TOKEN=$(cat " + tokensElsewhere.toAbsolutePath() + "/operator) ";
    }
}
