package io.stepwise.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepwise.simulator.ClusterInfo;
import io.stepwise.simulator.ClusterSpec;
import io.stepwise.simulator.Durations;
import io.stepwise.simulator.SimulatorSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Objects lost between two hops of a rollout, and the executor killed with -9 meanwhile: the second hop's VERIFY,
 * run by the restarted executor against the counts the first one recorded in the ledger before the BACKUP, fails the
 * cluster with the numbers. The packaged services, a sample query from the executor's configuration.
 */
class HealthIT {

    private static Stack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack("health", SimulatorSettings.defaults()
                .withBackupDuration(Duration.ofMillis(100))
                .withNodeRestartDuration(Duration.ofMillis(20))
                .withSyncDuration(Duration.ofMillis(20))
                .withTickInterval(Duration.ofMillis(10)))
                .executorProperty("stepwise.executor.weaviate.sample-query", "{ Get { Article(limit: 2) { title } } }")
                .start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        stack.close();
    }

    @Test
    void objectsLostBetweenHopsFailTheClusterWithTheNumbersAfterAnExecutorRestart() throws Exception {
        // Node restarts of a second each: the hop to 1.30 takes seconds, time enough to lose objects before its VERIFY.
        ClusterInfo cluster = stack.simulator.createCluster(ClusterSpec.weaviate("health-lossy", "1.28.16", 3, "kubernetes")
                .withCollections(Map.of("Article", 1000L, "Author", 10L))
                .withDurations(new Durations(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMillis(20))));
        stack.register(cluster, Map.of("fleet", "health"));
        String id = stack.startRollout(Map.of("product", "weaviate", "targetVersion", "1.30",
                "clusterIds", List.of("health-lossy")));

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() ->
                Stack.stepState(stack.rollout(id), "health-lossy", "VERIFY").equals("SUCCEEDED"));
        lose("health-lossy", "Article", 10);
        stack.executor.kill();
        stack.executor.start();

        JsonNode done = stack.awaitFinished(id, Duration.ofMinutes(3));
        assertThat(done.get("state").asText()).isEqualTo("FAILED");
        JsonNode lossy = Stack.cluster(done, "health-lossy");
        assertThat(lossy.get("state").asText()).isEqualTo("FAILED");
        JsonNode first = Stack.step(done, "health-lossy", "VERIFY");
        assertThat(first.get("toVersion").asText()).startsWith("1.29.");
        assertThat(first.get("message").asText())
                .contains("2 collections hold at least the 1010 objects counted before the upgrade")
                .contains("sample query found 2 Article");
        JsonNode second = Stack.step(done, "health-lossy", "VERIFY", first.get("seq").asInt());
        assertThat(second.get("toVersion").asText()).isEqualTo("1.30.23");
        assertThat(second.get("state").asText()).isEqualTo("FAILED");
        assertThat(second.get("error").asText()).isEqualTo("objects lost on cluster health-lossy: collection Article"
                + " has 990 objects, 1000 before the upgrade (10 lost)");
        assertThat(stack.simulator.weaviate("health-lossy").allNodesOn("1.30.23")).isTrue();
        assertThat(stack.simulator.violations("health-lossy")).isEmpty();
    }

    /** Through the simulator's admin API, as an operator's test would. */
    private static void lose(String clusterId, String collection, int objects) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        stack.simulator.baseUrl() + "/admin/clusters/" + clusterId + "/collections/" + collection + "/lose"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"objects\": " + objects + "}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
}
