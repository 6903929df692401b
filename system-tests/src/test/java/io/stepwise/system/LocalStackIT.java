package io.stepwise.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's first command as a newcomer runs it: {@code ./stepwise} brings up the whole stack with its demo
 * fleet, the README's example works through HTTP, and stopping the launcher leaves no process behind.
 */
class LocalStackIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String PLANNER = "http://localhost:8080";

    @Test
    void stepwiseStartsEverythingRunsTheExampleAndStopsCleanly() throws Exception {
        Path home = Path.of(System.getProperty("stepwise.home", "..")).toAbsolutePath().normalize();
        Path data = Files.createTempDirectory("stepwise-local-");
        Path output = home.resolve("system-tests/target/local-stack.out");
        ProcessBuilder builder = new ProcessBuilder("./stepwise", "--data", data.toString())
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("STEPWISE_SKIP_BUILD", "1"); // the reactor has just built everything
        Process launcher = builder.start();
        List<ProcessHandle> started = new ArrayList<>();
        try {
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).until(() -> {
                assertThat(launcher.isAlive()).as("launcher alive; output:%n%s", Files.readString(output)).isTrue();
                return Files.readString(output).contains("Stepwise is up.");
            });
            launcher.descendants().forEach(started::add);

            JsonNode preview = post("/api/v1/plans/preview?view=summary",
                    "{\"product\":\"weaviate\",\"targetVersion\":\"1.30\",\"selector\":\"fleet=demo\"}", 200);
            assertThat(preview.get("plans")).hasSize(50);

            JsonNode rollout = post("/api/v1/rollouts", "{\"product\":\"weaviate\",\"targetVersion\":\"1.30\","
                    + "\"clusterIds\":[\"demo-w-7\",\"demo-w-16\"],\"strategy\":{\"maxParallel\":2}}", 202);
            String id = rollout.get("id").asText();
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> get("/api/v1/rollouts/" + id).get("finishedAt").isTextual());
            assertThat(get("/api/v1/rollouts/" + id).get("state").asText()).isEqualTo("SUCCEEDED");
            assertThat(get("/api/v1/clusters/demo-w-16").get("version").asText()).isEqualTo("1.30.23");
        } finally {
            launcher.destroy(); // SIGTERM, as Ctrl-C would: the launcher stops what it started
            if (!launcher.waitFor(60, TimeUnit.SECONDS)) {
                launcher.destroyForcibly();
            }
        }
        assertThat(started).as("processes the launcher started").isNotEmpty();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                started.stream().filter(ProcessHandle::isAlive).map(p -> p.info().commandLine().orElse("?")).toList())
                .as("processes left behind").isEmpty());
        assertThat(Files.readString(output)).contains("Stopped.");
    }

    private static JsonNode post(String path, String body, int expected) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(PLANNER + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(expected);
        return Stack.JSON.readTree(r.body());
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(PLANNER + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Stack.JSON.readTree(r.body());
    }
}
