package io.stepwise.planner.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.stepwise.infrastructure.LocalIssuer;
import io.stepwise.model.StepState;
import io.stepwise.model.StepStatus;
import io.stepwise.planner.domain.RolloutStep;
import io.stepwise.planner.service.StatusIntake;
import io.stepwise.planner.service.StatusIntake.Received;
import io.stepwise.planner.testing.AdminByDefault;
import io.stepwise.testing.IssuerResource;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import jakarta.inject.Inject;
import io.stepwise.model.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/**
 * Who may do what: every endpoint of the live OpenAPI document against every kind of caller (no token, a refused
 * token, and each role), the actor of the audit trail taken from the token, and the four-eyes rule.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AdminByDefault.class, scope = TestResourceScope.GLOBAL)
class SecurityTest {

    /** The role each endpoint needs: one row per operation of the OpenAPI document, which must name them all. */
    private static final Map<String, String> ROLE_OF = new LinkedHashMap<>();

    static {
        ROLE_OF.put("GET /api/v1/audit", "viewer");
        ROLE_OF.put("GET /api/v1/audit/verify", "viewer");
        ROLE_OF.put("GET /api/v1/catalog", "viewer");
        ROLE_OF.put("GET /api/v1/catalog/{product}", "viewer");
        ROLE_OF.put("PUT /api/v1/catalog/{product}", "admin");
        ROLE_OF.put("DELETE /api/v1/catalog/{product}", "admin");
        ROLE_OF.put("GET /api/v1/clusters", "viewer");
        ROLE_OF.put("POST /api/v1/clusters", "operator");
        ROLE_OF.put("POST /api/v1/clusters/batch", "operator");
        ROLE_OF.put("GET /api/v1/clusters/{id}", "viewer");
        ROLE_OF.put("PUT /api/v1/clusters/{id}", "operator");
        ROLE_OF.put("DELETE /api/v1/clusters/{id}", "admin");
        ROLE_OF.put("PUT /api/v1/clusters/{id}/hold", "operator");
        ROLE_OF.put("DELETE /api/v1/clusters/{id}/hold", "operator");
        ROLE_OF.put("GET /api/v1/freezes", "viewer");
        ROLE_OF.put("POST /api/v1/freezes", "admin");
        ROLE_OF.put("DELETE /api/v1/freezes/{id}", "admin");
        ROLE_OF.put("GET /api/v1/strategies", "viewer");
        ROLE_OF.put("GET /api/v1/strategies/{name}", "viewer");
        ROLE_OF.put("PUT /api/v1/strategies/{name}", "operator");
        ROLE_OF.put("DELETE /api/v1/strategies/{name}", "operator");
        ROLE_OF.put("GET /api/v1/window-policies", "viewer");
        ROLE_OF.put("GET /api/v1/window-policies/{name}", "viewer");
        ROLE_OF.put("PUT /api/v1/window-policies/{name}", "operator");
        ROLE_OF.put("DELETE /api/v1/window-policies/{name}", "operator");
        ROLE_OF.put("POST /api/v1/plans/preview", "operator");
        ROLE_OF.put("GET /api/v1/rollouts", "viewer");
        ROLE_OF.put("POST /api/v1/rollouts", "operator");
        ROLE_OF.put("GET /api/v1/rollouts/{id}", "viewer");
        ROLE_OF.put("GET /api/v1/rollouts/{id}/audit", "viewer");
        ROLE_OF.put("GET /api/v1/rollouts/{id}/audit/verify", "viewer");
        ROLE_OF.put("POST /api/v1/rollouts/{id}/cancel", "operator");
        ROLE_OF.put("POST /api/v1/rollouts/{id}/clusters/{clusterId}/approve", "approver");
        ROLE_OF.put("GET /api/v1/rollouts/{id}/clusters/{clusterId}/recovery", "viewer");
        ROLE_OF.put("POST /api/v1/rollouts/{id}/clusters/{clusterId}/retry", "operator");
        ROLE_OF.put("POST /api/v1/rollouts/{id}/gate/approve", "approver");
        ROLE_OF.put("POST /api/v1/rollouts/{id}/pause", "operator");
        ROLE_OF.put("POST /api/v1/rollouts/{id}/resume", "operator");
        ROLE_OF.put("POST /api/v1/rollouts/{id}/wait/end", "approver");
        ROLE_OF.put("GET /api/v1/rollouts/{id}/watch", "viewer");
        ROLE_OF.put("GET /api/v1/webhooks", "admin");
        ROLE_OF.put("POST /api/v1/webhooks", "admin");
        ROLE_OF.put("GET /api/v1/webhooks/{id}", "admin");
        ROLE_OF.put("DELETE /api/v1/webhooks/{id}", "admin");
        ROLE_OF.put("GET /api/v1/webhooks/{id}/deliveries", "admin");
    }

    /** What each role may do, roles implying the ones below them. */
    private static final Map<String, Set<String>> GRANTS = Map.of(
            "viewer", Set.of("viewer"),
            "operator", Set.of("operator", "viewer"),
            "approver", Set.of("approver", "viewer"),
            "admin", Set.of("admin", "operator", "approver", "viewer"));

    @Inject
    StatusIntake intake;

    @Test
    void everyEndpointRefusesTheWrongCallerWithProblemJsonNamingTheRoleItNeeds() throws Exception {
        JsonNode openApi = new ObjectMapper().readTree(given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200).extract().asString());
        Set<String> documented = new TreeSet<>();
        Iterator<Map.Entry<String, JsonNode>> paths = openApi.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(method -> documented.add(method.toUpperCase() + " "
                    + path.getKey()));
        }
        assertThat(documented).as("every operation of /q/openapi has a row here, and every row an operation")
                .isEqualTo(new TreeSet<>(ROLE_OF.keySet()));

        LocalIssuer issuer = IssuerResource.issuer();
        Instant later = Instant.now().plus(Duration.ofHours(1));
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("no token", AdminByDefault.NO_TOKEN);
        refused.put("expired", bearer(issuer.token(issuer.url(), LocalIssuer.AUDIENCE, "late",
                Instant.now().minus(Duration.ofMinutes(10)), List.of("admin"))));
        refused.put("wrong issuer", bearer(issuer.token("https://elsewhere.example", LocalIssuer.AUDIENCE, "mallory",
                later, List.of("admin"))));
        refused.put("wrong audience", bearer(issuer.token(issuer.url(), "another-service", "mallory", later,
                List.of("admin"))));
        refused.put("not a token", "Bearer not.a.jwt");

        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> row : ROLE_OF.entrySet()) {
            String method = row.getKey().split(" ")[0];
            String path = row.getKey().split(" ")[1].replace("{id}", "no-such-rollout").replace("{product}", "weaviate")
                    .replace("{clusterId}", "no-such-cluster").replace("{name}", "no-such-strategy");
            for (Map.Entry<String, String> caller : refused.entrySet()) {
                Response r = send(method, path, caller.getValue());
                if (r.statusCode() != 401 || !r.contentType().startsWith("application/problem+json")
                        || !r.jsonPath().getString("detail").contains("'" + row.getValue() + "'")) {
                    wrong.add(row.getKey() + " with " + caller.getKey() + ": " + r.statusCode() + " " + r.asString());
                }
            }
            for (String role : GRANTS.keySet()) {
                Response r = send(method, path, bearer(IssuerResource.token("matrix-" + role, role)));
                boolean allowed = GRANTS.get(role).contains(row.getValue());
                boolean ok = allowed ? r.statusCode() != 401 && r.statusCode() != 403
                        : r.statusCode() == 403 && r.jsonPath().getString("detail").contains("'" + row.getValue() + "'");
                if (!ok) {
                    wrong.add(row.getKey() + " as " + role + ": " + r.statusCode() + " " + r.asString());
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void theAuditTrailAndTheLifecycleEventsNameTheTokensSubjectAndOnlyAnImpersonatorMayNameSomeoneElse() {
        String tag = "sec-actor-" + UUID.randomUUID().toString().substring(0, 6);
        register(tag, "weaviate", "1.29.11");
        String body = "{\"product\": \"weaviate\", \"targetVersion\": \"1.30\", \"clusterIds\": [\"" + tag + "\"]}";

        given().contentType(ContentType.JSON).header("Authorization", bearer(IssuerResource.token("olivia", "operator")))
                .header("X-Stepwise-Actor", "alice").body(body)
                .when().post("/api/v1/rollouts").then().statusCode(403)
                .body("detail", containsString("impersonator"));
        // refused before anything happened: the cluster is still free
        String id = given().contentType(ContentType.JSON)
                .header("Authorization", bearer(IssuerResource.token("olivia", "operator"))).body(body)
                .when().post("/api/v1/rollouts").then().statusCode(202).extract().path("id");
        try (KafkaConsumer<String, String> events = KafkaResource.consumer("security-test", "earliest")) {
            events.subscribe(List.of(Topics.ROLLOUTS));
            given().header("Authorization", bearer(IssuerResource.token("cmdb-sync", "operator", "impersonator")))
                    .header("X-Stepwise-Actor", "bob")
                    .when().post("/api/v1/rollouts/" + id + "/pause").then().statusCode(200);
            List<JsonNode> ofRollout = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (ConsumerRecord<String, String> r : events.poll(Duration.ofMillis(200))) {
                    JsonNode event = new ObjectMapper().readTree(r.value());
                    if (id.equals(event.path("rolloutId").asText())) {
                        ofRollout.add(event);
                    }
                }
                return ofRollout.stream().anyMatch(e -> e.path("type").asText().endsWith(".paused"));
            });
            assertThat(ofRollout).filteredOn(e -> e.path("type").asText().equals("io.stepwise.rollout.started"))
                    .extracting(e -> e.path("actor").asText()).containsExactly("olivia");
            assertThat(ofRollout).filteredOn(e -> e.path("type").asText().equals("io.stepwise.rollout.paused"))
                    .extracting(e -> e.path("actor").asText()).containsExactly("bob (via cmdb-sync)");
        }

        JsonPath audit = given().when().get("/api/v1/rollouts/" + id + "/audit").then().statusCode(200)
                .extract().jsonPath();
        assertThat(audit.getString("find { it.type == 'rollout.requested' }.actor")).isEqualTo("olivia");
        assertThat(audit.getString("find { it.type == 'rollout.paused' }.actor")).isEqualTo("bob (via cmdb-sync)");
    }

    @Test
    void whoeverStartedARolloutCannotApproveItsStepsAnotherApproverCan() {
        String tag = "sec-4eyes-" + UUID.randomUUID().toString().substring(0, 6);
        register(tag, "pachyderm", "2.9.3");
        String id = given().contentType(ContentType.JSON)
                .header("Authorization", bearer(IssuerResource.token("olivia", "operator", "approver")))
                .body("{\"product\": \"pachyderm\", \"targetVersion\": \"2.10\", \"clusterIds\": [\"" + tag + "\"]}")
                .when().post("/api/v1/rollouts").then().statusCode(202).extract().path("id");
        List<String> kinds = rollout(id).getList("clusters[0].steps.kind");
        int gate = kinds.indexOf("MANUAL_APPROVAL") + 1;
        assertThat(gate).isPositive();
        List<Received> upToTheGate = new ArrayList<>();
        for (int seq = 1; seq < gate; seq++) {
            String stepId = RolloutStep.idOf(id, tag, seq);
            upToTheGate.add(new Received(UUID.randomUUID().toString(), new StepStatus(stepId, id, tag, seq, 1,
                    StepState.SUCCEEDED, null, "done", Instant.now())));
        }
        intake.applyAll(upToTheGate);
        assertThat(rollout(id).getString("clusters[0].state")).isEqualTo("AWAITING_APPROVAL");

        given().header("Authorization", bearer(IssuerResource.token("olivia", "approver")))
                .when().post("/api/v1/rollouts/" + id + "/clusters/" + tag + "/approve").then().statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("four-eyes"))
                .body("detail", containsString("starter-may-approve"));
        assertThat(rollout(id).getString("clusters[0].state")).isEqualTo("AWAITING_APPROVAL");

        given().header("Authorization", bearer(IssuerResource.token("alan", "approver")))
                .when().post("/api/v1/rollouts/" + id + "/clusters/" + tag + "/approve").then().statusCode(200)
                .body("clusters[0].state", equalTo("RUNNING"));
        assertThat(given().when().get("/api/v1/rollouts/" + id + "/audit").then().extract().jsonPath()
                .getString("find { it.type == 'approval.granted' }.actor")).isEqualTo("alan");
    }

    private static Response send(String method, String path, String authorization) {
        RequestSpecification request = given().header("Authorization", authorization);
        if (method.equals("POST") || method.equals("PUT")) {
            request = request.contentType(ContentType.JSON).body("{}");
        }
        return request.when().request(method, path).then().extract().response();
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    private static void register(String id, String product, String version) {
        given().contentType(ContentType.JSON)
                .body("{\"id\": \"" + id + "\", \"product\": \"" + product + "\", \"version\": \"" + version + "\","
                        + " \"nodes\": 1, \"endpoint\": \"http://localhost:9/" + id + "\"}")
                .when().post("/api/v1/clusters").then().statusCode(201);
    }

    private static JsonPath rollout(String id) {
        return given().when().get("/api/v1/rollouts/" + id).then().statusCode(200).extract().jsonPath();
    }
}
