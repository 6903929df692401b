package io.stepwise.planner.lifecycle;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.stepwise.model.CloudEventHeaders;
import io.stepwise.model.ProbeRequested;
import io.stepwise.model.ProbeResult;
import io.stepwise.model.Topics;
import io.stepwise.planner.service.RolloutService;
import io.stepwise.planner.service.StatusIntake;
import io.stepwise.planner.service.StatusIntake.Received;
import io.stepwise.planner.testing.AdminByDefault;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/**
 * A rollout planned from what its clusters really run: it stays PENDING while the executor probes them, then plans
 * from what was found, corrects the inventory where it was wrong, and skips a cluster that could not be read.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AdminByDefault.class, scope = TestResourceScope.GLOBAL)
class ProbeTest {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    @Inject
    StatusIntake intake;

    @Inject
    RolloutService rollouts;

    @Test
    void aRolloutIsPlannedFromWhatTheClustersRunNotFromTheInventory() throws Exception {
        String tag = "probe-" + UUID.randomUUID().toString().substring(0, 6);
        try (KafkaConsumer<String, String> steps = stepsTopic()) {
            register(tag + "-stale", "1.24.10");
            register(tag + "-true", "1.29.11");
            register(tag + "-dark", "1.29.11");
            String id = given().contentType(ContentType.JSON).body("{\"product\": \"weaviate\", \"targetVersion\":"
                            + " \"1.30\", \"selector\": \"fleet=" + tag + "\", \"probe\": true}")
                    .when().post("/api/v1/rollouts").then().statusCode(202)
                    .body("state", org.hamcrest.Matchers.equalTo("PENDING"))
                    .extract().path("id");
            List<ProbeRequested> asked = probesOf(steps, id, 3);
            assertThat(asked).extracting(ProbeRequested::clusterId)
                    .containsExactlyInAnyOrder(tag + "-stale", tag + "-true", tag + "-dark");
            assertThat(asked.get(0).cluster().endpoint()).startsWith("http://localhost:9/");
            assertThat(rollout(id).getList("clusters.steps.flatten()")).isEmpty();

            intake.applyAll(List.of(
                    found(asked, tag + "-stale", "1.23.5", 3, null),
                    found(asked, tag + "-true", "1.29.11", 3, null)));
            assertThat(rollout(id).getString("state")).as("one probe has not answered").isEqualTo("PENDING");
            intake.applyAll(List.of(found(asked, tag + "-dark", null, null, "connection refused")));

            JsonPath view = rollout(id);
            assertThat(view.getString("state")).isEqualTo("RUNNING");
            assertThat(view.getString("clusters.find { it.clusterId == '" + tag + "-stale' }.fromVersion"))
                    .isEqualTo("1.23.5");
            assertThat(view.getList("clusters.find { it.clusterId == '" + tag + "-stale' }.steps.toVersion"))
                    .as("planned from 1.23.5: the restore fix on 1.23 comes first").contains("1.23.16");
            assertThat(view.getString("clusters.find { it.clusterId == '" + tag + "-dark' }.state")).isEqualTo("SKIPPED");
            assertThat(view.getString("clusters.find { it.clusterId == '" + tag + "-dark' }.refusalCode"))
                    .isEqualTo("PRECONDITION_FAILED");
            assertThat(view.getString("clusters.find { it.clusterId == '" + tag + "-dark' }.message"))
                    .contains("connection refused");
            given().when().get("/api/v1/clusters/" + tag + "-stale").then().statusCode(200)
                    .body("version", org.hamcrest.Matchers.equalTo("1.23.5"));
            List<String> audit = given().when().get("/api/v1/rollouts/" + id + "/audit").then().extract().jsonPath()
                    .getList("findAll { it.type == 'cluster.probed' }.clusterId");
            assertThat(audit).containsExactly(tag + "-stale");
            assertThat(given().contentType(ContentType.JSON).body("{\"product\": \"weaviate\", \"targetVersion\":"
                    + " \"1.30\", \"clusterIds\": [\"" + tag + "-dark\"], \"probe\": false}")
                    .when().post("/api/v1/rollouts").statusCode()).as("the skipped cluster was given back").isEqualTo(202);
        }
    }

    @Test
    void aRolloutWhoseProbesDoNotAllAnswerStartsWhenTheirTimeIsUp() {
        String tag = "probe-late-" + UUID.randomUUID().toString().substring(0, 6);
        register(tag, "1.29.11");
        String id = given().contentType(ContentType.JSON).body("{\"product\": \"weaviate\", \"targetVersion\":"
                        + " \"1.30\", \"selector\": \"fleet=" + tag + "\", \"probe\": true}")
                .when().post("/api/v1/rollouts").then().statusCode(202).extract().path("id");
        assertThat(rollout(id).getString("state")).isEqualTo("PENDING");

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            rollouts.startOverdueProbes(Duration.ZERO);
            return !rollout(id).getString("state").equals("PENDING");
        });
        JsonPath view = rollout(id);
        assertThat(view.getString("clusters[0].state")).isEqualTo("SKIPPED");
        assertThat(view.getString("clusters[0].message")).contains("did not answer the probe");
        assertThat(view.getString("state")).isEqualTo("SUCCEEDED");
    }

    @Test
    void aPreviewWithProbePlansFromWhatTheClustersRun() throws Exception {
        String tag = "probe-pv-" + UUID.randomUUID().toString().substring(0, 6);
        try (KafkaConsumer<String, String> steps = stepsTopic()) {
            register(tag + "-stale", "1.24.10");
            CompletableFuture<JsonPath> answer = CompletableFuture.supplyAsync(() -> given().contentType(ContentType.JSON)
                    .queryParam("probe", true).queryParam("view", "summary")
                    .body("{\"product\": \"weaviate\", \"targetVersion\": \"1.30\", \"selector\": \"fleet=" + tag
                            + "\"}")
                    .when().post("/api/v1/plans/preview").then().statusCode(200).extract().jsonPath());
            List<ProbeRequested> asked = probesOf(steps, "preview-", 1).stream()
                    .filter(p -> p.clusterId().equals(tag + "-stale")).toList();
            intake.applyAll(List.of(found(asked, tag + "-stale", "1.23.5", 3, null)));

            JsonPath preview = answer.get(30, TimeUnit.SECONDS);
            assertThat(preview.getString("plans[0].fromVersion")).isEqualTo("1.23.5");
            assertThat(preview.getString("probes[0].registeredVersion")).isEqualTo("1.24.10");
            assertThat(preview.getString("probes[0].foundVersion")).isEqualTo("1.23.5");
            assertThat(preview.getBoolean("probes[0].inventoryCorrected")).isTrue();
            given().when().get("/api/v1/clusters/" + tag + "-stale").then().statusCode(200)
                    .body("version", org.hamcrest.Matchers.equalTo("1.23.5"));
        }
    }

    private static Received found(List<ProbeRequested> asked, String clusterId, String version, Integer nodes,
                                  String error) {
        ProbeRequested probe = asked.stream().filter(p -> p.clusterId().equals(clusterId)).findFirst().orElseThrow();
        return Received.probed(UUID.randomUUID().toString(), new ProbeResult(probe.probeId(), clusterId, version,
                version == null ? List.of() : List.of(version, version, version), nodes, error, Instant.now()));
    }

    private static KafkaConsumer<String, String> stepsTopic() {
        KafkaConsumer<String, String> consumer = KafkaResource.consumer("probe-test", "latest");
        consumer.subscribe(List.of(Topics.STEPS));
        while (consumer.assignment().isEmpty()) {
            consumer.poll(Duration.ofMillis(100));
        }
        consumer.seekToEnd(consumer.assignment());
        consumer.assignment().forEach(consumer::position);
        return consumer;
    }

    private static List<ProbeRequested> probesOf(KafkaConsumer<String, String> consumer, String rolloutId, int count) {
        List<ProbeRequested> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                var type = r.headers().lastHeader(CloudEventHeaders.TYPE);
                if (type != null && ProbeRequested.TYPE.equals(new String(type.value(), StandardCharsets.UTF_8))) {
                    ProbeRequested probe = JSON.readValue(r.value(), ProbeRequested.class);
                    if (probe.probeId().startsWith(rolloutId.endsWith("-") ? rolloutId : rolloutId + ":")) {
                        found.add(probe);
                    }
                }
            }
            return found.size() >= count;
        });
        return found;
    }

    private static void register(String id, String version) {
        given().contentType(ContentType.JSON)
                .body("{\"id\": \"" + id + "\", \"product\": \"weaviate\", \"version\": \"" + version + "\","
                        + " \"nodes\": 3, \"endpoint\": \"http://localhost:9/" + id + "\", \"labels\": {\"fleet\": \""
                        + id.replaceAll("-(stale|true|dark)$", "") + "\"}}")
                .when().post("/api/v1/clusters").then().statusCode(201);
    }

    private static JsonPath rollout(String id) {
        return given().when().get("/api/v1/rollouts/" + id).then().statusCode(200).extract().jsonPath();
    }
}
