package io.stepwise.bench;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A packaged Stepwise service run as its own process (adapted from system-tests), with its pid, RSS and CPU time. */
final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final Path jar;
    private final Map<String, String> properties;
    private final List<String> jvmOptions;
    private final Path log;
    private final int port;
    private Process process;

    ServiceProcess(String name, Path jar, Map<String, String> properties, List<String> jvmOptions, Path logDir)
            throws IOException {
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

    String name() {
        return name;
    }

    String url() {
        return "http://localhost:" + port;
    }

    long pid() {
        return process.pid();
    }

    ServiceProcess start() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "-Dquarkus.http.port=" + port));
        command.addAll(jvmOptions);
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", jar.toString()));
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        awaitReady();
        return this;
    }

    private void awaitReady() throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
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
        throw new IllegalStateException(name + " not ready within 120 s; see " + log);
    }

    /** Resident memory in KiB from /proc/<pid>/status (VmRSS), or -1. */
    long rssKib() {
        return ProcStats.rssKib(pid());
    }

    /**
     * Heap in use right after a full collection, in KiB ({@code jcmd GC.run}, then {@code GC.heap_info}): what the
     * process really retains, unlike RSS, which a JVM seldom gives back. -1 if jcmd fails. The class histogram of
     * what is retained goes next to the log ({@code <name>-heap-<label>.txt}), to see what grows.
     */
    long heapAfterGcKib(String label) {
        try {
            String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            run(jcmd, String.valueOf(pid()), "GC.run");
            Matcher used = Pattern.compile("used (\\d+)K").matcher(run(jcmd, String.valueOf(pid()), "GC.heap_info"));
            Files.writeString(log.resolveSibling(name + "-heap-" + label + ".txt"),
                    run(jcmd, String.valueOf(pid()), "GC.class_histogram"));
            return used.find() ? Long.parseLong(used.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    /** CPU seconds (user + system) used so far, from /proc/<pid>/stat. */
    double cpuSeconds() {
        return ProcStats.cpuSeconds(pid());
    }

    /** CPU seconds used so far by the JVM's JIT compiler threads. */
    double jitCpuSeconds() {
        return ProcStats.jitCpuSeconds(pid());
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
