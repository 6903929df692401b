package io.stepwise.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A packaged Stepwise service run as its own process, as in production, on a free port: started (returning once
 * it reports ready), killed with -9, stopped. The system tests and the bench run the services this way.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final long READY_WITHIN_SECONDS = 120;

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
    private Process process;

    /**
     * {@code properties} become {@code -D} options (the service's configuration); {@code jvmOptions} go before
     * them; the output goes to {@code <logDir>/<name>.log}.
     */
    public ServiceProcess(String name, Path jar, Map<String, String> properties, List<String> jvmOptions,
                          Path logDir) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package the services first (./mvnw install -DskipTests)");
        }
        this.name = name;
        this.jar = jar;
        this.properties = properties;
        this.jvmOptions = jvmOptions;
        this.log = logDir.resolve(name + ".log");
        this.port = freePort();
    }

    public String name() {
        return name;
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

    public ServiceProcess start() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m", PRODUCTION_GC,
                "-Dquarkus.http.port=" + port));
        command.addAll(jvmOptions);
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", jar.toString()));
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        awaitReady();
        return this;
    }

    /** kill -9: no shutdown hook, no flush, no goodbye. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    private void awaitReady() throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_WITHIN_SECONDS);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited while starting; see " + log);
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " not ready within " + READY_WITHIN_SECONDS + " s; see " + log);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
