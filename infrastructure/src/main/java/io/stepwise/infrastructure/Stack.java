package io.stepwise.infrastructure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The whole system on one machine: Postgres, the Kafka broker, and the packaged planners and executors as separate
 * processes configured as an operator would, from the checkout at {@code home} ({@code <module>/target/quarkus-app}).
 * The tests, the system tests, the bench and {@code ./stepwise} all start it this way.
 *
 * <p>Postgres and Kafka are either started by the stack (and stopped with it) or handed in and left running (a test
 * JVM shares one of each). The fleet simulator is not part of it: its callers start it in their JVM and pass what
 * the executors need to reach it ({@link Builder#executorProperties}), so this module needs nothing of it.
 */
public final class Stack implements AutoCloseable {

    private final Builder settings;
    private final List<ServiceProcess> planners = new ArrayList<>();
    private final List<ServiceProcess> executors = new ArrayList<>();
    private Postgres postgres;
    private Kafka kafka;
    private boolean ownsPostgres;
    private boolean ownsKafka;

    private Stack(Builder settings) {
        this.settings = settings;
        this.postgres = settings.postgres;
        this.kafka = settings.kafka;
    }

    public static Builder builder(Path home) {
        return new Builder(home);
    }

    /** Starts Postgres and Kafka unless handed in, then the planners, then the executors; returns once all are ready. */
    public Stack start() throws InterruptedException {
        if (postgres == null) {
            Postgres.Builder b = settings.postgresSettings;
            say("Starting Postgres on port " + describe(b.port) + (b.dataDirectory == null ? ""
                    : " (data in " + b.dataDirectory + ")"));
            postgres = b.start();
            ownsPostgres = true;
        }
        postgres.createDatabase(settings.plannerDatabase);
        postgres.createDatabase(settings.executorDatabase);
        if (kafka == null) {
            Kafka.Builder b = settings.kafkaSettings;
            say("Starting Kafka on port " + describe(b.port) + (b.logDirectory == null ? ""
                    : " (data in " + b.logDirectory + ")"));
            kafka = b.start();
            ownsKafka = true;
        }
        // the planners first: they create the topics, with their partitions, before any executor subscribes
        startAll(settings.plannerCount, this::newPlanner);
        startAll(settings.executorCount, this::newExecutor);
        return this;
    }

    private void startAll(int count, Function<Integer, ServiceProcess> create) throws InterruptedException {
        List<ServiceProcess> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            started.add(launch(create.apply(i)));
        }
        for (ServiceProcess service : started) {
            service.awaitReady();
        }
    }

    /** Starts one more planner (sharing the planners' database) and returns once it is ready. */
    public ServiceProcess addPlanner() throws InterruptedException {
        ServiceProcess planner = launch(newPlanner(planners.size()));
        planner.awaitReady();
        return planner;
    }

    /** Starts one more executor (sharing the executors' database and consumer group); returns once it is ready. */
    public ServiceProcess addExecutor() throws InterruptedException {
        ServiceProcess executor = launch(newExecutor(executors.size()));
        executor.awaitReady();
        return executor;
    }

    private ServiceProcess newPlanner(int index) {
        ServiceProcess planner = service("planner", index, settings.plannerPort, "planner-service",
                settings.plannerDatabase, settings.plannerProperties);
        planners.add(planner);
        return planner;
    }

    private ServiceProcess newExecutor(int index) {
        ServiceProcess executor = service("executor", index, settings.executorPort, "executor-service",
                settings.executorDatabase, settings.executorProperties);
        executors.add(executor);
        return executor;
    }

    /** The first of a kind is named {@code planner}; more are {@code planner-2}, {@code planner-3}... */
    private ServiceProcess service(String kind, int index, int firstPort, String module, String database,
                                   Map<String, String> extra) {
        String name = index == 0 ? kind : kind + "-" + (index + 1);
        Map<String, String> properties = new HashMap<>(postgres.datasource(database));
        properties.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        properties.putAll(extra);
        return ServiceProcess.builder(name, settings.home.resolve(module + "/target/quarkus-app/quarkus-run.jar"))
                .properties(properties)
                .jvmOptions(settings.jvmOptions.apply(name))
                .logDir(settings.logs)
                .port(index == 0 ? firstPort : 0)
                .heap(settings.heap)
                .workingDirectory(settings.home)
                .readyWithin(settings.readyWithin)
                .build();
    }

    private ServiceProcess launch(ServiceProcess service) {
        say("Starting the " + service.name() + " on port " + service.port() + " (log: " + service.log() + ")");
        service.launch();
        settings.onLaunch.accept(service);
        return service;
    }

    public Postgres postgres() {
        return postgres;
    }

    public Kafka kafka() {
        return kafka;
    }

    /** The first planner. */
    public ServiceProcess planner() {
        return planners.get(0);
    }

    public List<ServiceProcess> planners() {
        return List.copyOf(planners);
    }

    /** The first executor. */
    public ServiceProcess executor() {
        return executors.get(0);
    }

    public List<ServiceProcess> executors() {
        return List.copyOf(executors);
    }

    public String plannerDatabase() {
        return settings.plannerDatabase;
    }

    public String executorDatabase() {
        return settings.executorDatabase;
    }

    /** Stops the services (executors first), then Kafka and Postgres if the stack started them. */
    @Override
    public void close() throws InterruptedException {
        for (ServiceProcess executor : executors) {
            executor.close();
        }
        for (ServiceProcess planner : planners) {
            planner.close();
        }
        if (ownsKafka) {
            kafka.close();
        }
        if (ownsPostgres) {
            postgres.close();
        }
    }

    private void say(String message) {
        settings.progress.accept(message);
    }

    private static String describe(int port) {
        return port == 0 ? "(free)" : String.valueOf(port);
    }

    /** How the stack is made up. */
    public static final class Builder {
        private final Path home;
        private Postgres postgres;
        private Kafka kafka;
        private Postgres.Builder postgresSettings = Postgres.builder();
        private Kafka.Builder kafkaSettings = Kafka.builder();
        private String plannerDatabase = "stepwise";
        private String executorDatabase = "stepwise_executor";
        private Path logs;
        private int plannerCount = 1;
        private int executorCount = 1;
        private int plannerPort;
        private int executorPort;
        private String heap = "384m";
        private Duration readyWithin = Duration.ofMinutes(2);
        private final Map<String, String> plannerProperties = new HashMap<>();
        private final Map<String, String> executorProperties = new HashMap<>();
        private Function<String, List<String>> jvmOptions = name -> List.of();
        private Consumer<ServiceProcess> onLaunch = service -> { };
        private Consumer<String> progress = message -> { };

        private Builder(Path home) {
            this.home = home.toAbsolutePath().normalize();
            this.logs = this.home.resolve("target/logs");
        }

        /** A running Postgres to use; the stack leaves it running when it closes. */
        public Builder postgres(Postgres postgres) {
            this.postgres = postgres;
            return this;
        }

        /** The Postgres the stack starts (and stops) when none is handed in. */
        public Builder postgres(Postgres.Builder settings) {
            this.postgresSettings = settings;
            return this;
        }

        /** A running broker to use; the stack leaves it running when it closes. */
        public Builder kafka(Kafka kafka) {
            this.kafka = kafka;
            return this;
        }

        /** The broker the stack starts (and stops) when none is handed in. */
        public Builder kafka(Kafka.Builder settings) {
            this.kafkaSettings = settings;
            return this;
        }

        /** The planners' and the executors' databases (default {@code stepwise}, {@code stepwise_executor}). */
        public Builder databases(String planner, String executor) {
            this.plannerDatabase = planner;
            this.executorDatabase = executor;
            return this;
        }

        /** Where each service's log goes (default {@code <home>/target/logs}). */
        public Builder logs(Path logs) {
            this.logs = logs;
            return this;
        }

        /** How many planners and executors {@link Stack#start()} starts (default one each). */
        public Builder services(int planners, int executors) {
            this.plannerCount = planners;
            this.executorCount = executors;
            return this;
        }

        /** HTTP ports of the first planner and the first executor (default 0: free ones); later ones take free ports. */
        public Builder ports(int planner, int executor) {
            this.plannerPort = planner;
            this.executorPort = executor;
            return this;
        }

        /** Every service's maximum heap (default 384m). */
        public Builder heap(String heap) {
            this.heap = heap;
            return this;
        }

        public Builder readyWithin(Duration readyWithin) {
            this.readyWithin = readyWithin;
            return this;
        }

        /** Settings every planner gets besides its database and the broker. */
        public Builder plannerProperties(Map<String, String> properties) {
            this.plannerProperties.putAll(properties);
            return this;
        }

        /** Settings every executor gets besides its database and the broker (such as the fleet simulator's). */
        public Builder executorProperties(Map<String, String> properties) {
            this.executorProperties.putAll(properties);
            return this;
        }

        /** Further JVM options of each service, by its name ({@code planner}, {@code executor-2}...). */
        public Builder jvmOptions(Function<String, List<String>> jvmOptions) {
            this.jvmOptions = jvmOptions;
            return this;
        }

        /** Told of each service process as soon as it is launched, before it is ready (its pid is known). */
        public Builder onLaunch(Consumer<ServiceProcess> onLaunch) {
            this.onLaunch = onLaunch;
            return this;
        }

        /** Told what the stack is starting, one line at a time. */
        public Builder progress(Consumer<String> progress) {
            this.progress = progress;
            return this;
        }

        public Stack build() {
            return new Stack(this);
        }
    }
}
