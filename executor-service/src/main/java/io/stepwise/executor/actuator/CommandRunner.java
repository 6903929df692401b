package io.stepwise.executor.actuator;

import io.quarkus.logging.Log;
import io.stepwise.executor.handler.StepFailedException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external command with a hard timeout, after which the whole process tree is killed. Output goes to files,
 * not pipes, so a chatty process can never block on a full pipe. A process starts from a minimal environment
 * ({@link #INHERITED} from the executor's own, then the invocation's), never the executor's whole one, which holds its
 * database password and whatever else the operator gave it.
 */
@ApplicationScoped
public class CommandRunner {

    private static final int MAX_CAPTURE = 8 * 1024;
    /**
     * What a tool needs from the executor's environment: where programs are, a home for their caches and contexts, and
     * the in-cluster API server address (kubectl and helm find it there, with the pod's service account token).
     */
    public static final List<String> INHERITED = List.of("PATH", "HOME", "KUBERNETES_SERVICE_HOST",
            "KUBERNETES_SERVICE_PORT");

    /** stdinText (e.g. "y" to a confirmation), stdinFile and stdoutFile are optional. */
    public record Invocation(List<String> command, Map<String, String> env, Path stdinFile, String stdinText,
            Path stdoutFile, Duration timeout) {
        public static Invocation of(List<String> command, Duration timeout) {
            return new Invocation(command, Map.of(), null, null, null, timeout);
        }

        public Invocation withEnv(Map<String, String> env) {
            return new Invocation(command, env, stdinFile, stdinText, stdoutFile, timeout);
        }

        public Invocation withStdin(Path file) {
            return new Invocation(command, env, file, stdinText, stdoutFile, timeout);
        }

        public Invocation withStdinText(String text) {
            return new Invocation(command, env, stdinFile, text, stdoutFile, timeout);
        }

        public Invocation withStdout(Path file) {
            return new Invocation(command, env, stdinFile, stdinText, file, timeout);
        }
    }

    public CommandResult run(Invocation inv) {
        String shown = String.join(" ", inv.command());
        Path out = null;
        Path err = null;
        long start = System.nanoTime();
        try {
            out = inv.stdoutFile() != null ? inv.stdoutFile() : Files.createTempFile("stepwise-out", ".txt");
            err = Files.createTempFile("stepwise-err", ".txt");
            ProcessBuilder pb = new ProcessBuilder(inv.command())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            pb.environment().clear();
            INHERITED.forEach(name -> {
                String value = System.getenv(name);
                if (value != null) {
                    pb.environment().put(name, value);
                }
            });
            pb.environment().putAll(inv.env());
            if (inv.stdinFile() != null) {
                pb.redirectInput(inv.stdinFile().toFile());
            } else if (inv.stdinText() == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            }
            Log.debugf("running %s", shown);
            Process process = pb.start();
            if (inv.stdinFile() == null && inv.stdinText() != null) {
                try (OutputStream stdin = process.getOutputStream()) {
                    stdin.write(inv.stdinText().getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // The process may exit without reading its input; its exit code tells the rest.
                }
            }
            if (!process.waitFor(inv.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new StepFailedException("`" + shown + "` did not finish within "
                        + io.stepwise.executor.handler.Poll.human(inv.timeout()) + " and was killed; stderr so far: "
                        + tail(err).strip());
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            String stdout = inv.stdoutFile() != null ? "" : tail(out);
            return new CommandResult(inv.command(), process.exitValue(), stdout, tail(err), took);
        } catch (IOException e) {
            throw new StepFailedException("could not run `" + shown + "`: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailedException("interrupted while running `" + shown + "`", e);
        } finally {
            deleteQuietly(err);
            if (inv.stdoutFile() == null) {
                deleteQuietly(out);
            }
        }
    }

    private static String tail(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            int from = Math.max(0, bytes.length - MAX_CAPTURE);
            return (from > 0 ? "…" : "") + new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // A temp file left behind is harmless.
            }
        }
    }
}
