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
 * The README's first command as a newcomer runs it: {@code ./stepwise up} brings up the whole stack with its demo
 * fleet, the README's example works through HTTP with the tokens the launcher wrote, nothing changes without the
 * right token, and stopping the launcher leaves no process behind.
 */
class LocalStackIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String PLANNER = "http://localhost:8080";

    @Test
    void stepwiseStartsEverythingRunsTheExampleAndStopsCleanly() throws Exception {
        Path home = Path.of(System.getProperty("stepwise.home", "..")).toAbsolutePath().normalize();
        Path data = Files.createTempDirectory("stepwise-local-");
        Path output = home.resolve("system-tests/target/local-stack.out");
        ProcessBuilder builder = new ProcessBuilder("./stepwise", "up", "--data", data.toString())
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
            String operator = Files.readString(data.resolve("tokens/operator")).trim();
            String viewer = Files.readString(data.resolve("tokens/viewer")).trim();
            String rolloutRequest = "{\"product\":\"weaviate\",\"targetVersion\":\"1.30\","
                    + "\"clusterIds\":[\"demo-w-7\",\"demo-w-16\"],\"strategy\":{\"maxParallel\":2}}";

            post("/api/v1/rollouts", rolloutRequest, null, 401);
            post("/api/v1/rollouts", rolloutRequest, viewer, 403);
            JsonNode preview = post("/api/v1/plans/preview?view=summary",
                    "{\"product\":\"weaviate\",\"targetVersion\":\"1.30\",\"selector\":\"fleet=demo\"}", operator, 200);
            assertThat(preview.get("plans")).hasSize(50);

            JsonNode rollout = post("/api/v1/rollouts", rolloutRequest, operator, 202);
            String id = rollout.get("id").asText();
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> get("/api/v1/rollouts/" + id, viewer).get("finishedAt").isTextual());
            assertThat(get("/api/v1/rollouts/" + id, viewer).get("state").asText()).isEqualTo("SUCCEEDED");
            assertThat(get("/api/v1/clusters/demo-w-16", viewer).get("version").asText()).isEqualTo("1.30.23");
            assertThat(get("/api/v1/rollouts/" + id + "/audit", viewer).get(0).get("actor").asText())
                    .as("the audit trail names the token's subject").isEqualTo("local-operator");
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

    private static JsonNode post(String path, String body, String token, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(PLANNER + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(expected);
        return Stack.JSON.readTree(r.body());
    }

    private static JsonNode get(String path, String token) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(PLANNER + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Stack.JSON.readTree(r.body());
    }
}
