package io.stepwise.planner.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.stepwise.model.ProbeResult;
import io.stepwise.planner.service.StatusIntake.Received;
import io.stepwise.planner.service.StatusIntake;
import io.stepwise.planner.testing.AdminByDefault;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The examples in /q/openapi are what the API really accepts and answers: each request example is sent as
 * published, and the answer is compared with the published answer example (ids and times aside). When the
 * code changes an answer, this fails until the example in ApiExamples is brought up to date.
 */
@QuarkusTest
@TestProfile(ApiExamplesTest.AsDeployed.class)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AdminByDefault.class, scope = TestResourceScope.GLOBAL)
class ApiExamplesTest {

    /** The planner as deployed: a rollout probes its clusters first (the other tests of the module plan at once). */
    public static class AsDeployed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stepwise.rollouts.probe-clusters", "true");
        }
    }

    @Inject
    StatusIntake intake;

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Fields that differ on every call. */
    private static final Set<String> VOLATILE = Set.of("id", "createdAt", "updatedAt", "startedAt", "finishedAt");

    private JsonNode openApi;

    @BeforeEach
    void fetchOpenApi() throws Exception {
        openApi = JSON.readTree(given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200).extract().asString());
    }

    private JsonNode operation(String path, String method) {
        JsonNode op = openApi.path("paths").path(path).path(method);
        assertThat(op.isObject()).as("%s %s in /q/openapi", method, path).isTrue();
        return op;
    }

    private JsonNode requestExample(String path, String method, String name) {
        return example(operation(path, method).path("requestBody").path("content").path("application/json"), name);
    }

    private JsonNode responseExample(String path, String method, String status, String mediaType, String name) {
        return example(operation(path, method).path("responses").path(status).path("content").path(mediaType), name);
    }

    private static JsonNode example(JsonNode content, String name) {
        JsonNode value = content.path("examples").path(name).path("value");
        assertThat(value.isObject()).as("example '%s' as a JSON object in %s", name, content).isTrue();
        return value.deepCopy();
    }

    private static JsonNode body(ExtractableResponse<Response> response) throws Exception {
        return JSON.readTree(response.asString());
    }

    /** Blanks ids and times (everywhere in the tree) so that two rollouts or clusters can be compared. */
    private static JsonNode stable(JsonNode node) {
        JsonNode copy = node.deepCopy();
        List<JsonNode> todo = new ArrayList<>(List.of(copy));
        while (!todo.isEmpty()) {
            JsonNode n = todo.remove(todo.size() - 1);
            if (n instanceof ObjectNode o) {
                VOLATILE.forEach(f -> {
                    if (o.hasNonNull(f)) {
                        o.put(f, "*");
                    }
                });
            }
            n.forEach(todo::add);
        }
        return copy;
    }

    /** The field names of an object, of its first cluster and of that cluster's first step. */
    private static List<Set<String>> shape(JsonNode rollout) {
        List<Set<String>> shape = new ArrayList<>();
        JsonNode cluster = rollout.path("clusters").path(0);
        for (JsonNode n : List.of(rollout, cluster, cluster.path("steps").path(0))) {
            Set<String> fields = new java.util.TreeSet<>();
            n.fieldNames().forEachRemaining(fields::add);
            shape.add(fields);
        }
        return shape;
    }

    @Test
    void previewExamplesAreTheRealAnswers() throws Exception {
        String path = "/api/v1/plans/preview";
        JsonNode request = requestExample(path, "post", "inline");

        JsonNode answer = body(given().contentType(ContentType.JSON).body(request.toString())
                .when().post(path).then().statusCode(200).extract());
        assertThat(answer).as("answer to the 'inline' example").isEqualTo(responseExample(path, "post", "200",
                "application/json", "full"));

        JsonNode summary = body(given().contentType(ContentType.JSON).body(request.toString())
                .when().post(path + "?view=summary").then().statusCode(200).extract());
        assertThat(summary).isEqualTo(responseExample(path, "post", "200", "application/json", "summary"));

        ((ObjectNode) request.path("clusters").path(0)).put("nodes", 0);
        JsonNode problem = body(given().contentType(ContentType.JSON).body(request.toString())
                .when().post(path).then().statusCode(400).contentType("application/problem+json").extract());
        assertThat(problem).isEqualTo(responseExample(path, "post", "400", "application/problem+json", "invalid"));

        given().contentType(ContentType.JSON).body(requestExample(path, "post", "selector").toString())
                .when().post(path).then().statusCode(200);
    }

    @Test
    void clusterAndRolloutExamplesAreTheRealAnswers() throws Exception {
        String clusters = "/api/v1/clusters";
        String rollouts = "/api/v1/rollouts";
        JsonNode cluster = requestExample(clusters, "post", "kubernetes");
        String clusterId = cluster.path("id").asText();
        String rolloutId = null;
        try {
            JsonNode registered = body(given().contentType(ContentType.JSON).body(cluster.toString())
                    .when().post(clusters).then().statusCode(201).extract());
            assertThat(stable(registered)).isEqualTo(stable(responseExample(clusters, "post", "201",
                    "application/json", "registered")));
            JsonNode invalid = body(given().contentType(ContentType.JSON)
                    .body("{\"id\": \"Prod EU 1\", \"product\": \"weaviate\", \"nodes\": 0}")
                    .when().post(clusters).then().statusCode(400).extract());
            assertThat(invalid).isEqualTo(responseExample(clusters, "post", "400", "application/problem+json", "invalid"));

            JsonNode request = requestExample(rollouts, "post", "clusterIds");
            assertThat(request.path("clusterIds").path(0).asText()).as("the rollout example upgrades the cluster example")
                    .isEqualTo(clusterId);
            ExtractableResponse<Response> accepted = given().contentType(ContentType.JSON)
                    .header("Idempotency-Key", UUID.randomUUID().toString()).body(request.toString())
                    .when().post(rollouts).then().statusCode(202).extract();
            JsonNode started = body(accepted);
            rolloutId = started.path("id").asText();
            assertThat(accepted.header("Location")).endsWith(rollouts + "/" + rolloutId);
            assertThat(stable(started)).isEqualTo(stable(responseExample(rollouts, "post", "202", "application/json",
                    "started")));

            String probed = rolloutId;   // the executor's answer: the cluster runs what the inventory says
            intake.applyAll(List.of(Received.probed(UUID.randomUUID().toString(), new ProbeResult(probed + ":"
                    + clusterId, clusterId, cluster.path("version").asText(), List.of(), cluster.path("nodes").asInt(),
                    null, Instant.now()))));
            JsonNode running = responseExample(rollouts + "/{id}", "get", "200", "application/json", "running");
            JsonNode got = body(given().when().get(rollouts + "/" + rolloutId).then().statusCode(200).extract());
            assertThat(shape(got)).as("fields of a rollout, a cluster, a step").isEqualTo(shape(running));

            ((ObjectNode) request.path("strategy")).put("maxParallel", 0);
            JsonNode refused = body(given().contentType(ContentType.JSON).body(request.toString())
                    .when().post(rollouts).then().statusCode(400).extract());
            assertThat(refused).isEqualTo(responseExample(rollouts, "post", "400", "application/problem+json", "invalid"));

            JsonNode notFound = responseExample(rollouts + "/{id}", "get", "404", "application/problem+json", "unknown");
            String unknownId = notFound.path("detail").asText().replaceAll(".*'(.*)'.*", "$1");
            assertThat(body(given().when().get(rollouts + "/" + unknownId).then().statusCode(404).extract()))
                    .isEqualTo(notFound);
        } finally {
            if (rolloutId != null) {
                given().when().post(rollouts + "/" + rolloutId + "/cancel").then().statusCode(200);
            }
            given().when().delete(clusters + "/" + clusterId);
        }
    }

    @Test
    void theStrategyExampleIsWhatTheRolloutDoes() {
        String tag = "ex-" + UUID.randomUUID().toString().substring(0, 6);
        for (String[] c : List.of(new String[] {tag + "-c", "ring"}, new String[] {tag + "-w", "zone"})) {
            given().contentType(ContentType.JSON).body("{\"id\": \"" + c[0] + "\", \"product\": \"weaviate\","
                    + " \"version\": \"1.29.3\", \"nodes\": 3, \"labels\": {\"ex\": \"" + tag + "\", \"" + c[1]
                    + "\": \"" + (c[1].equals("ring") ? "canary" : "eu-west") + "\"}}")
                    .when().post("/api/v1/clusters").then().statusCode(201);
        }
        ObjectNode request = (ObjectNode) requestExample("/api/v1/rollouts", "post", "selector");
        request.put("selector", "ex=" + tag); // the example's strategy, over clusters of this test's own
        String id = given().contentType(ContentType.JSON).body(request.toString()).when().post("/api/v1/rollouts")
                .then().statusCode(202).extract().path("id");
        try {
            io.restassured.path.json.JsonPath r = given().when().get("/api/v1/rollouts/" + id).then().statusCode(200)
                    .extract().jsonPath();
            assertThat(r.getList("waves.name")).containsExactly("canary", "eu-west");
            assertThat(r.getInt("waves[1].maxParallel")).as("25% of one cluster").isEqualTo(1);
            assertThat(r.getString("waves[1].waitAfter")).isEqualTo("PT24H");
            assertThat(r.getString("gates[0].when") + ":" + r.getString("gates[0].wave") + ":"
                    + r.getString("gates[0].role")).isEqualTo("after:canary:approver");
        } finally {
            given().when().post("/api/v1/rollouts/" + id + "/cancel").then().statusCode(200);
        }
    }
}
