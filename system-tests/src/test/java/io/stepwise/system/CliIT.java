package io.stepwise.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepwise.simulator.ClusterSpec;
import io.stepwise.simulator.SimulatorSettings;
import io.stepwise.simulator.fault.Fault;
import io.stepwise.simulator.fault.FaultType;
import io.stepwise.testing.IssuerResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The command line ({@code cli/target/stepwise-cli.jar}) as a process against the real stack: what it prints and
 * the exit code a script reads, for a rollout that succeeds, one where a cluster fails, a refused request, a
 * missing token, a token without the role, a usage error, and {@code --output json}. One stack for the class.
 */
class CliIT {

    private static final String OPERATOR = IssuerResource.token("cli-operator", "operator");
    private static final String VIEWER = IssuerResource.token("cli-viewer", "viewer");

    private static Stack stack;
    private static Path home;
    private static Path jar;

    @BeforeAll
    static void start() throws Exception {
        Path checkout = Path.of(System.getProperty("stepwise.home", "..")).toAbsolutePath().normalize();
        jar = checkout.resolve("cli/target/stepwise-cli.jar");
        assertThat(jar).as("the packaged command line").isRegularFile();
        // no .stepwise/tokens here: the command line must not find the local stack's tokens of this checkout
        home = Files.createTempDirectory("stepwise-cli-it-");
        stack = new Stack("cli", SimulatorSettings.defaults()
                .withBackupDuration(Duration.ofMillis(100))
                .withNodeRestartDuration(Duration.ofMillis(20))
                .withSyncDuration(Duration.ofMillis(20))
                .withTickInterval(Duration.ofMillis(10))).start();
        for (String id : List.of("cli-ok-1", "cli-ok-2")) {
            stack.register(stack.simulator.createCluster(ClusterSpec.weaviate(id, "1.29.11", 3, "kubernetes")),
                    Map.of("fleet", "cli-ok"));
        }
        stack.register(stack.simulator.createCluster(ClusterSpec.weaviate("cli-bad", "1.29.11", 3, "kubernetes")),
                Map.of("fleet", "cli-bad"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
        if (home != null) {
            try (var files = Files.walk(home)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void aRolloutStartedWithWaitShowsProgressAndExitsZeroWhenItSucceeds() throws Exception {
        Result r = cli(OPERATOR, "rollout", "start", "--product", "weaviate", "--target", "1.30",
                "--selector", "fleet=cli-ok", "--max-parallel", "2", "--wait");

        assertThat(r.code).as(r.toString()).isZero();
        assertThat(r.out).as(r.toString())
                .containsPattern("Rollout \\S+ started: weaviate to 1\\.30, 2 cluster\\(s\\)")
                .containsPattern("(?m)^\\+\\d+:\\d\\d \\w+ \\[[#-]{20}] \\d/2 clusters ended")
                .containsPattern("(?m)^Rollout \\S+ SUCCEEDED after \\d+:\\d\\d: 2 succeeded\\.$");
        assertThat(stack.get("/api/v1/clusters/cli-ok-2").get("version").asText()).isEqualTo("1.30.23");
    }

    @Test
    void aClusterThatFailsAStepMakesTheWaitExitOneAndIsNamed() throws Exception {
        stack.simulator.injectFault(Fault.of("cli-bad", FaultType.BACKUP_FAILED).times(1));

        Result r = cli(OPERATOR, "rollout", "start", "--product", "weaviate", "--target", "1.30",
                "--selector", "fleet=cli-bad", "--wait");

        assertThat(r.code).as(r.toString()).isEqualTo(1);
        assertThat(r.out).as(r.toString())
                .containsPattern("(?m)^Rollout \\S+ FAILED after .*1 failed")
                .containsPattern("(?m)^  cli-bad FAILED at step \\d+/\\d+ BACKUP");
    }

    @Test
    void aRefusedRequestExitsThreeWithTheProblemOnStderr() throws Exception {
        Result r = cli(OPERATOR, "rollout", "start", "--product", "nosuch", "--target", "1.30",
                "--selector", "fleet=cli-ok");

        assertThat(r.code).as(r.toString()).isEqualTo(3);
        assertThat(r.err).as(r.toString()).startsWith("stepwise: 400").contains("unknown product 'nosuch'");
        assertThat(r.out).isEmpty();
    }

    @Test
    void aMissingTokenIsOneLineAndExitsThree() throws Exception {
        Result r = cli(null, "clusters", "list");

        assertThat(r.code).as(r.toString()).isEqualTo(3);
        assertThat(r.err.lines().toList()).as(r.toString()).singleElement().asString()
                .startsWith("stepwise: no token: the planner at " + stack.planner.url() + " needs one (401)");
    }

    @Test
    void aViewerMayNotStartARollout() throws Exception {
        Result r = cli(VIEWER, "rollout", "start", "--product", "weaviate", "--target", "1.30",
                "--selector", "fleet=cli-ok");

        assertThat(r.code).as(r.toString()).isEqualTo(3);
        assertThat(r.err).as(r.toString()).startsWith("stepwise: 403").contains("operator");
    }

    @Test
    void aUsageErrorExitsTwoAndSendsNothing() throws Exception {
        Result r = cli(OPERATOR, "rollout", "start", "--product", "weaviate", "--selector", "fleet=cli-ok");

        assertThat(r.code).as(r.toString()).isEqualTo(2);
        assertThat(r.err).as(r.toString()).contains("--target");
    }

    @Test
    void outputJsonIsJson() throws Exception {
        Result r = cli(VIEWER, "--output", "json", "clusters", "list", "--selector", "fleet=cli-ok");

        assertThat(r.code).as(r.toString()).isZero();
        JsonNode page = Stack.JSON.readTree(r.out);
        assertThat(page.get("total").asInt()).isEqualTo(2);
        assertThat(page.get("items").findValuesAsText("id")).containsExactlyInAnyOrder("cli-ok-1", "cli-ok-2");
    }

    private record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs the command line as a user would, with this token in STEPWISE_TOKEN (none if null). */
    private static Result cli(String token, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar.toString(),
                "--home", home.toString(), "--server", stack.planner.url()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(home, "out-", ".txt");
        Path err = Files.createTempFile(home, "err-", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("STEPWISE_") || name.equals("NO_COLOR"));
        builder.environment().put("STEPWISE_CONFIG", home.resolve("no-config.yaml").toString());
        if (token != null) {
            builder.environment().put("STEPWISE_TOKEN", token);
        }
        Process process = builder.start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the command line did not end within 3 minutes: " + command
                    + "\n--- stdout\n" + Files.readString(out) + "--- stderr\n" + Files.readString(err));
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
