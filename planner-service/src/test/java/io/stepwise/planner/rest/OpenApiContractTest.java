package io.stepwise.planner.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.http.Header;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document as a contract a generated client can rely on: every operation of the live {@code /q/openapi}
 * is sent real requests (a success and the errors it declares: 400, 401, 403, 404, 409, 422), and each request and
 * its answer are validated against the document with the Atlassian validator. An operation of the document that this
 * test does not exercise fails it, so a new endpoint comes with its contract check.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AdminByDefault.class, scope = TestResourceScope.GLOBAL)
class OpenApiContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A path segment holding a NUL character, sent as is (refused with 400 wherever text is read). */
    private static final String NUL = "bad%00id";

    /**
     * Answers of the document ("operationId status") this test knowingly does not produce, each with the reason;
     * everything else the document declares (but 413, 415 and 500) must be received and validated.
     */
    private static final Map<String, String> KNOWN_GAPS = Map.of(
            "putCluster 409", "only when another request registers the same cluster at the same moment (a race)",
            "putClusters 409", "only when another request registers one of the clusters at the same moment (a race)");

    @Inject
    StatusIntake intake;

    /** One operation of the document: how to call it and what it declares. */
    private record Op(String id, String method, String template, Set<String> statuses, List<String> roles,
                      Set<String> queryParams, boolean hasBody) {
    }

    private final Map<String, Op> ops = new TreeMap<>();
    /** operationId → the statuses this test received from it and validated. */
    private final Map<String, Set<Integer>> checked = new TreeMap<>();
    private final List<String> violations = new ArrayList<>();
    private OpenApiInteractionValidator validator;
    private JsonNode document;
    private int validated;

    @Test
    void everyOperationAnswersAsTheDocumentSays() throws Exception {
        long began = System.nanoTime();
        String document = given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
                .extract().asString();
        this.document = JSON.readTree(document);
        read(this.document);
        validator = OpenApiInteractionValidator.createForInlineApiSpecification(document).build();

        theValidatorRefusesWhatTheDocumentDoesNotAllow();

        String tag = "oa-" + UUID.randomUUID().toString().substring(0, 6);
        everyOperationRefusesWhoMayNot();

        // the inventory
        String w1 = tag + "-w1", w2 = tag + "-w2", w3 = tag + "-w3", p1 = tag + "-p1";
        call("registerCluster", 201, Map.of(), null, cluster(w1, "weaviate", "1.29.11", tag));
        call("registerCluster", 201, Map.of(), null, cluster(p1, "pachyderm", "2.9.3", tag));
        call("registerCluster", 409, Map.of(), null, cluster(w1, "weaviate", "1.29.11", tag));
        call("registerCluster", 400, Map.of(), null, "{\"id\": \"Not An Id\", \"product\": \"weaviate\", \"nodes\": 0}");
        call("putCluster", 201, Map.of("id", w2), null, cluster(w2, "weaviate", "1.29.11", tag));
        call("putCluster", 200, Map.of("id", w2), null, cluster(w2, "weaviate", "1.29.11", tag)
                .replace("\"nodes\": 1", "\"nodes\": 3"));
        call("putCluster", 400, Map.of("id", w2), null, "{\"id\": \"another\", \"product\": \"weaviate\"}");
        call("putClusters", 200, Map.of(), null, "{\"clusters\": [" + cluster(w3, "weaviate", "1.29.11", tag) + "]}");
        call("putClusters", 400, Map.of(), null, "{\"clusters\": [{\"id\": \"" + w3 + "\", \"product\": \"x\"}]}");
        call("listClusters", 200, Map.of(), Map.of("selector", "contract=" + tag), null);
        call("listClusters", 200, Map.of(), Map.of("product", "weaviate", "size", "2"), null);
        call("listClusters", 400, Map.of(), Map.of("selector", "in in in"), null);
        call("getCluster", 200, Map.of("id", w1), null, null);
        call("getCluster", 404, Map.of("id", tag + "-none"), null, null);
        call("getCluster", 400, Map.of("id", NUL), null, null);
        call("deleteCluster", 400, Map.of("id", NUL), null, null);
        call("deleteCluster", 204, Map.of("id", w3), null, null);
        call("deleteCluster", 404, Map.of("id", w3), null, null);
        call("listChanges", 200, Map.of(), Map.of("kind", "cluster", "subject", w2), null);
        call("listChanges", 400, Map.of(), Map.of("kind", "nothing", "subject", w2), null);
        call("verifyChanges", 200, Map.of(), Map.of("kind", "cluster", "subject", w2), null);
        call("verifyChanges", 400, Map.of(), Map.of("kind", "nothing", "subject", w2), null);

        // plans
        call("previewPlans", 200, Map.of(), null, ApiExamples.PREVIEW_REQUEST);
        call("previewPlans", 200, Map.of(), Map.of("view", "summary"), "{\"product\": \"weaviate\", \"targetVersion\":"
                + " \"1.30\", \"selector\": \"contract=" + tag + "\"}");
        call("previewPlans", 400, Map.of(), null, "{\"product\": \"weaviate\", \"targetVersion\": \"1.30\","
                + " \"clusters\": [{\"id\": \"a\", \"version\": \"1.29.3\", \"nodes\": 0}]}");

        // rollouts: one to steer, one to approve, one to retry
        String key = "contract-" + tag;
        Response started = call("startRollout", 202, Map.of(), null, rollout(w1), "Idempotency-Key", key);
        String steered = started.jsonPath().getString("id");
        call("startRollout", 202, Map.of(), null, rollout(w1), "Idempotency-Key", key);
        call("startRollout", 422, Map.of(), null, rollout(w2), "Idempotency-Key", key);
        call("startRollout", 409, Map.of(), null, rollout(w1));
        call("startRollout", 400, Map.of(), null, "{\"product\": \"weaviate\", \"targetVersion\": \"1.30\","
                + " \"clusterIds\": [\"" + w1 + "\"], \"strategy\": {\"maxParallel\": 0}}");
        call("listRollouts", 200, Map.of(), Map.of("size", "5"), null);
        call("listRollouts", 200, Map.of(), Map.of("state", "RUNNING"), null);
        call("listRollouts", 400, Map.of(), Map.of("state", "SLEEPING"), null);
        call("getRollout", 200, Map.of("id", steered), null, null);
        call("getRollout", 200, Map.of("id", steered), Map.of("view", "summary"), null);
        call("getRollout", 400, Map.of("id", steered), Map.of("view", "everything"), null);
        call("getRollout", 404, Map.of("id", "no-such-rollout"), null, null);
        call("pauseRollout", 200, Map.of("id", steered), null, null);
        call("pauseRollout", 400, Map.of("id", steered), Map.of("view", "everything"), null);
        call("pauseRollout", 404, Map.of("id", "no-such-rollout"), null, null);
        call("resumeRollout", 200, Map.of("id", steered), Map.of("view", "summary"), null);
        call("resumeRollout", 409, Map.of("id", steered), null, null);
        call("resumeRollout", 400, Map.of("id", steered), Map.of("view", "everything"), null);
        call("resumeRollout", 404, Map.of("id", "no-such-rollout"), null, null);
        call("listRolloutAudit", 200, Map.of("id", steered), null, null);
        call("listRolloutAudit", 404, Map.of("id", "no-such-rollout"), null, null);
        call("verifyRolloutAudit", 200, Map.of("id", steered), null, null);
        call("verifyRolloutAudit", 404, Map.of("id", "no-such-rollout"), null, null);
        call("listRolloutAudit", 400, Map.of("id", NUL), null, null);
        call("verifyRolloutAudit", 400, Map.of("id", NUL), null, null);
        call("watchRollout", 400, Map.of("id", steered), Map.of("view", "everything"), null);

        String gated = call("startRollout", 202, Map.of(), null, "{\"product\": \"pachyderm\", \"targetVersion\":"
                + " \"2.10\", \"clusterIds\": [\"" + p1 + "\"]}").jsonPath().getString("id");
        List<String> kinds = given().when().get("/api/v1/rollouts/" + gated).then().extract().jsonPath()
                .getList("clusters[0].steps.kind");
        int gate = kinds.indexOf("MANUAL_APPROVAL") + 1;
        assertThat(gate).isPositive();
        List<Received> upToTheGate = new ArrayList<>();
        for (int seq = 1; seq < gate; seq++) {
            upToTheGate.add(status(gated, p1, seq, StepState.SUCCEEDED));
        }
        intake.applyAll(upToTheGate);
        String approver = "Bearer " + IssuerResource.token("contract-approver", "approver");
        call("approveCluster", 400, Map.of("id", gated, "clusterId", p1), Map.of("view", "everything"), null,
                "Authorization", approver);
        call("approveCluster", 200, Map.of("id", gated, "clusterId", p1), null, null, "Authorization", approver);
        call("approveCluster", 409, Map.of("id", gated, "clusterId", p1), null, null, "Authorization", approver);
        call("approveCluster", 404, Map.of("id", "no-such-rollout", "clusterId", p1), null, null,
                "Authorization", approver);

        String failing = call("startRollout", 202, Map.of(), null, rollout(w2)).jsonPath().getString("id");
        call("retryCluster", 409, Map.of("id", failing, "clusterId", w2), null, null);
        call("getClusterRecovery", 409, Map.of("id", failing, "clusterId", w2), null, null);
        // backed up, then failed: the recovery restores the backup, and its answer carries the request to start it
        intake.applyAll(List.of(status(failing, w2, 1, StepState.SUCCEEDED), status(failing, w2, 2, StepState.FAILED)));
        Response recovery = call("getClusterRecovery", 200, Map.of("id", failing, "clusterId", w2), null, null);
        assertThat(recovery.jsonPath().getString("options.find { it.kind == 'RESTORE_BACKUP' }.start.path"))
                .isEqualTo("/api/v1/rollouts");
        call("getClusterRecovery", 404, Map.of("id", "no-such-rollout", "clusterId", w2), null, null);
        call("getClusterRecovery", 400, Map.of("id", NUL, "clusterId", w2), null, null);
        call("retryCluster", 400, Map.of("id", failing, "clusterId", w2), Map.of("view", "everything"), null);
        call("retryCluster", 200, Map.of("id", failing, "clusterId", w2), null, null);
        call("retryCluster", 404, Map.of("id", "no-such-rollout", "clusterId", w2), null, null);

        // gates and soaks: a gate before the first wave waits at once; a wave of a cluster at the target ends at once
        String w4 = tag + "-w4", w5 = tag + "-w5", w6 = tag + "-w6";
        call("registerCluster", 201, Map.of(), null, cluster(w4, "weaviate", "1.29.11", tag));
        call("registerCluster", 201, Map.of(), null, cluster(w6, "weaviate", "1.29.11", tag));
        call("registerCluster", 201, Map.of(), null, cluster(w5, "weaviate", "1.30.23", tag));
        String atGate = call("startRollout", 202, Map.of(), null, "{\"product\": \"weaviate\", \"targetVersion\":"
                + " \"1.30\", \"clusterIds\": [\"" + w4 + "\"], \"strategy\": {\"gates\": [{\"when\": \"before\","
                + " \"wave\": \"all\"}]}}").jsonPath().getString("id");
        call("approveGate", 400, Map.of("id", atGate), Map.of("view", "everything"), null, "Authorization", approver);
        call("approveGate", 404, Map.of("id", "no-such-rollout"), null, null, "Authorization", approver);
        call("approveGate", 200, Map.of("id", atGate), null, null, "Authorization", approver);
        call("approveGate", 409, Map.of("id", atGate), null, null, "Authorization", approver);
        call("cancelRollout", 200, Map.of("id", atGate), null, null);
        String soaking = call("startRollout", 202, Map.of(), null, "{\"product\": \"weaviate\", \"targetVersion\":"
                + " \"1.30\", \"clusterIds\": [\"" + w6 + "\", \"" + w5 + "\"], \"strategy\": {\"waves\": [{\"name\":"
                + " \"done\", \"clusterIds\": [\"" + w5 + "\"], \"waitAfter\": \"PT1H\"}]}}").jsonPath().getString("id");
        call("endWait", 400, Map.of("id", soaking), Map.of("view", "everything"), null, "Authorization", approver);
        call("endWait", 404, Map.of("id", "no-such-rollout"), null, null, "Authorization", approver);
        call("endWait", 200, Map.of("id", soaking), null, null, "Authorization", approver);
        call("endWait", 409, Map.of("id", soaking), null, null, "Authorization", approver);
        call("cancelRollout", 200, Map.of("id", soaking), null, null);

        // holds, freezes, saved strategies
        call("holdCluster", 200, Map.of("id", w4), null, "{\"reason\": \"contract test\"}");
        call("holdCluster", 400, Map.of("id", w4), null, "{\"reason\": \"\"}");
        call("holdCluster", 404, Map.of("id", tag + "-none"), null, "{\"reason\": \"x\"}");
        call("releaseCluster", 200, Map.of("id", w4), null, null);
        call("releaseCluster", 400, Map.of("id", NUL), null, null);
        call("releaseCluster", 404, Map.of("id", tag + "-none"), null, null);
        String freeze = call("createFreeze", 201, Map.of(), null, "{\"from\": \"2099-01-01T00:00:00Z\", \"to\":"
                + " \"2099-01-02T00:00:00Z\", \"reason\": \"contract test\"}").jsonPath().getString("id");
        call("createFreeze", 400, Map.of(), null, "{\"to\": \"yesterday\", \"reason\": \"x\"}");
        call("listFreezes", 200, Map.of(), null, null);
        call("deleteFreeze", 204, Map.of("id", freeze), null, null);
        call("deleteFreeze", 404, Map.of("id", freeze), null, null);
        call("deleteFreeze", 400, Map.of("id", NUL), null, null);
        String strategy = "contract-" + tag;
        call("putStrategy", 201, Map.of("name", strategy), null, "{\"maxParallel\": 2, \"waves\": [{\"name\":"
                + " \"canary\", \"selector\": \"ring=0\", \"maxParallel\": \"10%\", \"waitAfter\": \"PT2H\"}],"
                + " \"gates\": [{\"when\": \"after\", \"wave\": \"canary\"}]}");
        call("putStrategy", 200, Map.of("name", strategy), null, "{\"maxParallel\": 3}");
        call("putStrategy", 400, Map.of("name", strategy), null, "{\"maxParallel\": 0}");
        call("listStrategies", 200, Map.of(), null, null);
        call("getStrategy", 200, Map.of("name", strategy), null, null);
        call("getStrategy", 404, Map.of("name", "no-such-strategy"), null, null);
        call("getStrategy", 400, Map.of("name", NUL), null, null);
        call("deleteStrategy", 204, Map.of("name", strategy), null, null);
        call("deleteStrategy", 404, Map.of("name", strategy), null, null);
        call("deleteStrategy", 400, Map.of("name", NUL), null, null);
        String policy = "nights-" + tag;
        String window = "{\"windows\": [{\"days\": [\"SAT\"], \"start\": \"22:00\", \"duration\": \"PT6H\","
                + " \"timeZone\": \"Europe/Berlin\"}]}";
        call("putWindowPolicy", 201, Map.of("name", policy), null, window);
        call("putWindowPolicy", 200, Map.of("name", policy), null, window);
        call("putWindowPolicy", 400, Map.of("name", policy), null, "{\"windows\": []}");
        call("listWindowPolicies", 200, Map.of(), null, null);
        call("getWindowPolicy", 200, Map.of("name", policy), null, null);
        call("getWindowPolicy", 404, Map.of("name", "no-such-policy"), null, null);
        call("getWindowPolicy", 400, Map.of("name", NUL), null, null);
        call("deleteWindowPolicy", 204, Map.of("name", policy), null, null);
        call("deleteWindowPolicy", 404, Map.of("name", policy), null, null);
        call("deleteWindowPolicy", 400, Map.of("name", NUL), null, null);

        watch(steered);
        for (String id : List.of(steered, gated, failing)) {
            call("cancelRollout", 200, Map.of("id", id), null, null);
        }
        call("cancelRollout", 409, Map.of("id", steered), null, null);
        call("cancelRollout", 400, Map.of("id", steered), Map.of("view", "everything"), null);
        call("cancelRollout", 404, Map.of("id", "no-such-rollout"), null, null);
        call("pauseRollout", 409, Map.of("id", steered), null, null);
        call("watchRollout", 404, Map.of("id", "no-such-rollout"), null, null);

        // the catalog
        call("listCatalogs", 200, Map.of(), null, null);
        Response inForce = call("getCatalog", 200, Map.of("product", "weaviate"), null, null);
        call("getCatalog", 400, Map.of("product", "mysql"), null, null);
        ObjectNode catalog = JSON.createObjectNode();
        JsonNode current = JSON.readTree(inForce.asString());
        for (String field : List.of("product", "source", "lines", "blocked")) {
            catalog.set(field, current.get(field));
        }
        call("replaceCatalog", 200, Map.of("product", "weaviate"), null, catalog.toString());
        call("replaceCatalog", 400, Map.of("product", "weaviate"), null, "{\"product\": \"weaviate\", \"lines\":"
                + " [{\"line\": \"one\"}]}");
        call("listChanges", 200, Map.of(), Map.of("kind", "catalog", "subject", "weaviate"), null);
        call("resetCatalog", 200, Map.of("product", "weaviate"), null, null);
        call("resetCatalog", 400, Map.of("product", "mysql"), null, null);

        // webhooks
        String webhook = call("createWebhook", 201, Map.of(), null, "{\"url\": \"https://hooks.example/" + tag
                + "\", \"secret\": \"a-secret-of-sixteen-or-more\", \"types\": [\"io.stepwise.rollout.\"],"
                + " \"rolloutId\": \"" + steered + "\"}").jsonPath().getString("id");
        call("createWebhook", 400, Map.of(), null, "{\"url\": \"ftp://hooks.example\", \"secret\": \"short\"}");
        call("listWebhooks", 200, Map.of(), Map.of("size", "5"), null);
        call("listWebhooks", 400, Map.of(), Map.of("size", "0"), null);
        call("getWebhook", 200, Map.of("id", webhook), null, null);
        call("getWebhook", 404, Map.of("id", "no-such-webhook"), null, null);
        call("getWebhook", 400, Map.of("id", NUL), null, null);
        call("listWebhookDeliveries", 200, Map.of("id", webhook), Map.of("state", "DELIVERED"), null);
        call("listWebhookDeliveries", 400, Map.of("id", webhook), Map.of("state", "LOST"), null);
        call("listWebhookDeliveries", 404, Map.of("id", "no-such-webhook"), null, null);
        call("deleteWebhook", 400, Map.of("id", NUL), null, null);
        call("deleteWebhook", 204, Map.of("id", webhook), null, null);
        call("deleteWebhook", 404, Map.of("id", webhook), null, null);

        // every operation of the document was checked, with a success and each error it declares but a 500
        Map<String, String> unchecked = new TreeMap<>();
        for (Op op : ops.values()) {
            Set<String> missing = new TreeSet<>(op.statuses());
            missing.remove("500");
            missing.remove("413");
            missing.remove("415");
            checked.getOrDefault(op.id(), Set.of()).forEach(s -> missing.remove(String.valueOf(s)));
            missing.removeIf(status -> KNOWN_GAPS.containsKey(op.id() + " " + status));
            if (!missing.isEmpty()) {
                unchecked.put(op.id(), String.join(",", missing));
            }
        }
        System.out.printf("OpenApiContractTest: %d operations, %d answers validated in %d ms%n", ops.size(),
                validated, (System.nanoTime() - began) / 1_000_000);
        assertThat(violations).as("answers that disagree with the document").isEmpty();
        assertThat(unchecked).as("operations of the document (operationId → declared statuses) this test does not"
                + " exercise: add them to the test").isEmpty();
    }

    /** The validator is not blind: a null where none is declared, or a number as text, is reported. */
    private void theValidatorRefusesWhatTheDocumentDoesNotAllow() {
        String wrong = "{\"id\": null, \"state\": \"RUNNING\", \"product\": \"weaviate\", \"targetVersion\":"
                + " \"1.30\", \"maxParallel\": \"ten\", \"maxFailedClusters\": 1, \"createdAt\":"
                + " \"2026-01-01T00:00:00Z\", \"updatedAt\": \"2026-01-01T00:00:00Z\", \"counts\": {},"
                + " \"currentWave\": \"all\", \"waves\": []}";
        ValidationReport report = validator.validateResponse(ops.get("getRollout").template(), Request.Method.GET,
                new SimpleResponse.Builder(200).withContentType("application/json").withBody(wrong).build());
        assertThat(report.getMessages()).extracting(ValidationReport.Message::getMessage)
                .anySatisfy(m -> assertThat(m).contains("/id"))
                .anySatisfy(m -> assertThat(m).contains("/maxParallel"));
    }

    /** 401 without a token for every operation; 403 for a token without roles, and for a viewer where more is needed. */
    private void everyOperationRefusesWhoMayNot() {
        String viewer = "Bearer " + IssuerResource.token("contract-viewer", "viewer");
        String nobody = "Bearer " + IssuerResource.token("contract-nobody");
        for (Op op : ops.values()) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("id", "no-such-rollout");
            params.put("clusterId", "no-such-cluster");
            params.put("product", "weaviate");
            params.put("name", "no-such-strategy");
            String body = op.hasBody() ? "{}" : null;
            call(op.id(), 401, params, null, body, "Authorization", AdminByDefault.NO_TOKEN);
            call(op.id(), 403, params, null, body, "Authorization", nobody);
            if (!op.roles().contains("viewer")) {
                call(op.id(), 403, params, null, body, "Authorization", viewer);
            }
        }
    }

    /**
     * The watch of a rollout: 200 as text/event-stream, and the first event's data as the document's RolloutView
     * (validated as getRollout's answer, the schema the event carries). Read from a stream closed after that event.
     */
    private void watch(String id) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port
                        + "/api/v1/rollouts/" + id + "/watch"))
                .header("Accept", "text/event-stream").header("Authorization", AdminByDefault.adminAuthorization())
                .timeout(Duration.ofSeconds(20)).GET().build();
        HttpResponse<Stream<String>> r = client.send(request, HttpResponse.BodyHandlers.ofLines());
        String contentType = r.headers().firstValue("Content-Type").orElse("");
        String data;
        try (Stream<String> lines = r.body()) {
            data = lines.filter(l -> l.startsWith("data:")).findFirst().map(l -> l.substring(5).trim()).orElse(null);
        }
        if (r.statusCode() != 200 || !contentType.startsWith("text/event-stream") || data == null) {
            violations.add("watchRollout: " + r.statusCode() + " " + contentType + ", first data: " + data);
            return;
        }
        if (!ops.get("watchRollout").statuses().contains("200")
                || !document.path("paths").path(ops.get("watchRollout").template()).path("get").path("responses")
                .path("200").path("content").has("text/event-stream")) {
            violations.add("watchRollout: 200 text/event-stream is not declared");
        }
        ValidationReport report = validator.validateResponse(ops.get("getRollout").template(), Request.Method.GET,
                new SimpleResponse.Builder(200).withContentType("application/json").withBody(data).build());
        report.getMessages().stream().filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .forEach(m -> violations.add("watchRollout event: " + m.getKey() + ": " + m.getMessage()));
        checked.computeIfAbsent("watchRollout", k -> new TreeSet<>()).add(r.statusCode());
        validated++;
    }

    /**
     * Sends a request to the operation and validates the request (when it is meant to succeed) and the answer
     * against the document; {@code headers} are name, value pairs.
     */
    private Response call(String opId, int expected, Map<String, String> pathParams, Map<String, String> query,
                          String body, String... headers) {
        Op op = ops.get(opId);
        assertThat(op).as("operation " + opId + " in the document").isNotNull();
        String path = op.template();
        for (Map.Entry<String, String> p : pathParams.entrySet()) {
            path = path.replace("{" + p.getKey() + "}", p.getValue());
        }
        RequestSpecification request = given().urlEncodingEnabled(!path.contains("%"));
        SimpleRequest.Builder expectation = new SimpleRequest.Builder(op.method(), path);
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
            expectation.withContentType("application/json").withBody(body);
        }
        if (query != null) {
            for (Map.Entry<String, String> q : query.entrySet()) {
                request = request.queryParam(q.getKey(), q.getValue());
                expectation.withQueryParam(q.getKey(), q.getValue());
            }
        }
        boolean authorized = true;
        for (int i = 0; i < headers.length; i += 2) {
            request = request.header(headers[i], headers[i + 1]);
            if (headers[i].equals("Authorization") && headers[i + 1].equals(AdminByDefault.NO_TOKEN)) {
                authorized = false;
            } else {
                expectation.withHeader(headers[i], headers[i + 1]);
            }
        }
        if (authorized && Arrays.stream(headers).noneMatch("Authorization"::equals)) {
            expectation.withAuthorization(AdminByDefault.adminAuthorization());
        }
        Response r = request.when().request(op.method(), path).then().extract().response();
        String what = opId + " " + op.method() + " " + path + (query == null ? "" : " " + query);
        if (r.statusCode() != expected) {
            violations.add(what + ": expected " + expected + ", got " + r.statusCode() + " " + r.asString());
            return r;
        }
        SimpleResponse.Builder answer = new SimpleResponse.Builder(r.statusCode()).withBody(r.asString());
        for (Header h : r.headers()) {
            answer.withHeader(h.getName(), h.getValue());
        }
        if (r.contentType() != null && !r.contentType().isEmpty()) {
            answer.withContentType(r.contentType());
        }
        SimpleRequest sent = expectation.build();
        ValidationReport report = expected < 300 ? validator.validate(sent, answer.build())
                : validator.validateResponse(op.template(), Request.Method.valueOf(op.method()), answer.build());
        if (report.hasErrors()) {
            report.getMessages().stream().filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                    .forEach(m -> violations.add(what + " → " + expected + ": " + m.getKey() + ": "
                            + m.getMessage() + (r.asString().length() < 600 ? " in " + r.asString() : "")));
        }
        checked.computeIfAbsent(opId, k -> new TreeSet<>()).add(r.statusCode());
        validated++;
        return r;
    }

    private void read(JsonNode document) {
        Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields();
            while (methods.hasNext()) {
                Map.Entry<String, JsonNode> m = methods.next();
                JsonNode op = m.getValue();
                String id = op.path("operationId").asText(null);
                if (id == null) {
                    violations.add(m.getKey().toUpperCase() + " " + path.getKey() + " has no operationId");
                    continue;
                }
                Set<String> statuses = new TreeSet<>();
                op.path("responses").fieldNames().forEachRemaining(statuses::add);
                List<String> roles = new ArrayList<>();
                op.path(ApiContract.ROLES).forEach(r -> roles.add(r.asText()));
                Set<String> query = new TreeSet<>();
                op.path("parameters").forEach(p -> {
                    if ("query".equals(p.path("in").asText())) {
                        query.add(p.path("name").asText());
                    }
                });
                assertThat(ops.put(id, new Op(id, m.getKey().toUpperCase(), path.getKey(), statuses, roles, query,
                        op.has("requestBody")))).as("operationId " + id + " is unique").isNull();
            }
        }
    }

    private static String cluster(String id, String product, String version, String tag) {
        return "{\"id\": \"" + id + "\", \"product\": \"" + product + "\", \"version\": \"" + version + "\","
                + " \"nodes\": 1, \"endpoint\": \"http://localhost:9/" + id + "\", \"labels\": {\"contract\": \""
                + tag + "\"}}";
    }

    private static String rollout(String clusterId) {
        return "{\"product\": \"weaviate\", \"targetVersion\": \"1.30\", \"clusterIds\": [\"" + clusterId + "\"],"
                + " \"strategy\": {\"maxParallel\": 1, \"failurePolicy\": {\"maxFailedClusters\": 1}}}";
    }

    private static Received status(String rolloutId, String clusterId, int seq, StepState state) {
        return new Received(UUID.randomUUID().toString(), new StepStatus(RolloutStep.idOf(rolloutId, clusterId, seq),
                rolloutId, clusterId, seq, 1, state, null, state == StepState.FAILED ? "it broke" : "done",
                Instant.now()));
    }
}
