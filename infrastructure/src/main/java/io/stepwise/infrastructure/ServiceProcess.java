package io.stepwise.infrastructure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A packaged Stepwise service run as its own process, as in production: launched, ready once its
 * {@code /q/health/ready} answers 200, killed with -9, stopped. Several of the same service may run at once, each
 * under its own name (its log is {@code <logDir>/<name>.log}, appended to).
 */
public final class ServiceProcess implements AutoCloseable {

    /**
     * The garbage collector the services' container images run with: {@code run-java.sh} of the
     * {@code ubi9/openjdk-17-runtime} base image in {@code src/main/docker/Dockerfile.jvm} picks it unless
     * {@code GC_CONTAINER_OPTIONS} says otherwise. A JVM left to itself would pick G1 on these machines, so the
     * services would run here unlike in production (and, in the bench, spend more CPU per step).
     */
    public static final String PRODUCTION_GC = "-XX:+UseParallelGC";

    private final String name;
    private final Path jar;
    private final Map<String, String> properties;
    private final List<String> jvmOptions;
    private final Path log;
    private final int port;
    private final String heap;
    private final Path workingDirectory;
    private final Duration readyWithin;
    private Process process;

    private ServiceProcess(Builder b) {
        this.name = b.name;
        this.jar = b.jar;
        this.properties = Map.copyOf(b.properties);
        this.jvmOptions = List.copyOf(b.jvmOptions);
        this.log = b.logDir.resolve(name + ".log");
        this.port = b.port == 0 ? Ports.free() : b.port;
        this.heap = b.heap;
        this.workingDirectory = b.workingDirectory;
        this.readyWithin = b.readyWithin;
    }

    /** A service named {@code name} (its log file's name too) from its {@code quarkus-run.jar}. */
    public static Builder builder(String name, Path jar) {
        return new Builder(name, jar);
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://localhost:" + port;
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Completes when the process ends, for whatever reason. */
    public CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** Starts the process and returns once the service is ready. */
    public ServiceProcess start() throws InterruptedException {
        launch();
        awaitReady();
        return this;
    }

    /** Starts the process without waiting for it to be ready (see {@link #awaitReady()}). */
    public ServiceProcess launch() {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap, PRODUCTION_GC,
                "-Dquarkus.http.port=" + port));
        command.addAll(jvmOptions);
        // system properties win over the service's application.properties
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        return this;
    }

    /** Waits until the launched service is ready; fails with the end of its log if it exits or takes too long. */
    public void awaitReady() throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + readyWithin.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " stopped while starting; last lines of " + log + ":\n" + tail());
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " not ready after " + readyWithin.toSeconds() + " s; last lines of "
                + log + ":\n" + tail());
    }

    /** kill -9: no shutdown hook, no flush, no goodbye. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Stops the service as an operator would (SIGTERM), forcibly after 20 s. */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public String toString() {
        return name + " on " + url();
    }

    /** How to run one service. */
    public static final class Builder {
        private final String name;
        private final Path jar;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final List<String> jvmOptions = new ArrayList<>();
        private Path logDir = Path.of(".");
        private int port;
        private String heap = "384m";
        private Path workingDirectory;
        private Duration readyWithin = Duration.ofMinutes(2);

        private Builder(String name, Path jar) {
            this.name = name;
            this.jar = jar;
        }

        /** The service's configuration, passed as {@code -D} options. */
        public Builder properties(Map<String, String> properties) {
            this.properties.putAll(properties);
            return this;
        }

        /** Further JVM options, before the properties. */
        public Builder jvmOptions(List<String> options) {
            this.jvmOptions.addAll(options);
            return this;
        }

        public Builder logDir(Path logDir) {
            this.logDir = logDir;
            return this;
        }

        /** The HTTP port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The maximum heap, as {@code -Xmx} takes it (default 384m). */
        public Builder heap(String heap) {
            this.heap = heap;
            return this;
        }

        public Builder workingDirectory(Path workingDirectory) {
            this.workingDirectory = workingDirectory;
            return this;
        }

        /** How long the service may take to become ready (default 2 minutes). */
        public Builder readyWithin(Duration readyWithin) {
            this.readyWithin = readyWithin;
            return this;
        }

        /** The service, not started yet; fails if its jar is missing. */
        public ServiceProcess build() {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: package the services first (./mvnw -B package"
                        + " -DskipTests, or ./stepwise up, which builds them)");
            }
            return new ServiceProcess(this);
        }
    }
}
