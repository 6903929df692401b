package io.stepwise.planner.rest;

import static io.restassured.RestAssured.given;
import static io.stepwise.planner.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.stepwise.planner.testing.AdminByDefault;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import io.restassured.RestAssured;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AdminByDefault.class, scope = TestResourceScope.GLOBAL)
class PlanPreviewResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonPath preview(String body) {
        return given().contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/plans/preview")
                .then().statusCode(200).contentType(ContentType.JSON)
                .extract().jsonPath();
    }

    private static List<String> steps(JsonPath answer, int plan) {
        List<Map<String, Object>> steps = answer.getList("plans[" + plan + "].steps");
        List<String> described = new ArrayList<>();
        for (Map<String, Object> s : steps) {
            described.add(s.get("kind") + (s.get("toVersion") == null ? "" : " " + s.get("toVersion")) + " " + s.get("rule"));
        }
        return described;
    }

    @Test
    void weaviate1225To130OnKubernetesFollowsEveryRule() {
        JsonPath answer = preview("""
                {"product": "weaviate", "targetVersion": "1.30",
                 "clusters": [{"id": "a", "version": "1.22.5", "nodes": 3, "deployment": "kubernetes"}]}""");

        assertThat(answer.getList("refusals")).isEmpty();
        assertThat(answer.getString("plans[0].clusterId")).isEqualTo("a");
        assertThat(answer.getString("plans[0].fromVersion")).isEqualTo("1.22.5");
        assertThat(answer.getString("plans[0].toVersion")).isEqualTo("1.30.23");
        assertThat(steps(answer, 0)).containsExactly(
                "BACKUP W3", "UPGRADE 1.23.16 W2", "VERIFY 1.23.16 W8", "RESTORE W4",
                "UPGRADE 1.24.26 W2", "VERIFY 1.24.26 W8",
                "RAFT_MIGRATION 1.25.34 W5", "VERIFY 1.25.34 W8", "SYNC_CHECK W5", "BACKUP W6",
                "SYNC_CHECK W7", "UPGRADE 1.26.18 W2", "VERIFY 1.26.18 W8",
                "SYNC_CHECK W7", "UPGRADE 1.27.27 W2", "VERIFY 1.27.27 W8",
                "SYNC_CHECK W7", "UPGRADE 1.28.16 W2", "VERIFY 1.28.16 W8",
                "SYNC_CHECK W7", "UPGRADE 1.29.11 W2", "VERIFY 1.29.11 W8",
                "SYNC_CHECK W7", "UPGRADE 1.30.23 W2", "VERIFY 1.30.23 W8");
        assertThat(answer.getInt("plans[0].steps[0].seq")).isEqualTo(1);
        assertThat(answer.getString("plans[0].steps[3].params.backupId"))
                .isEqualTo(answer.getString("plans[0].steps[0].params.backupId"))
                .matches("^[a-z0-9_-]+$");
        assertThat(answer.getString("plans[0].steps[6].reason")).contains("StatefulSet");
        assertThat(answer.getInt("plans[0].steps[8].params.expectedNodes")).isEqualTo(3);
    }

    @Test
    void refusedClusterDoesNotStopTheOthers() {
        JsonPath answer = preview("""
                {"product": "weaviate", "targetVersion": "1.27.20",
                 "clusters": [{"id": "trap", "version": "1.30.5", "nodes": 3},
                              {"id": "single", "version": "1.27.3", "nodes": 1},
                              {"id": "garbled", "version": "1.2x", "nodes": 1}]}""");

        assertThat(answer.getList("plans.clusterId")).containsExactly("single");
        assertThat(answer.getList("refusals.clusterId")).containsExactly("trap", "garbled");
        assertThat(answer.getString("refusals[0].code")).isEqualTo("DOWNGRADE_BLOCKED");
        assertThat(answer.getString("refusals[0].message")).contains("1.27.26");
        assertThat(answer.getString("refusals[1].code")).isEqualTo("INVALID_VERSION");
    }

    @Test
    void pachyderm1710To190MigratesTwice() {
        JsonPath answer = preview("""
                {"product": "pachyderm", "targetVersion": "1.9.0",
                 "clusters": [{"id": "pach", "version": "1.7.10"}]}""");

        assertThat(steps(answer, 0)).containsExactly(
                "BACKUP P1", "UPGRADE 1.7.14 P3", "VERIFY 1.7.14 P3",
                "BACKUP P3", "EXTRACT P3", "UNDEPLOY P3", "DEPLOY 1.8.8 P3", "RESTORE P3", "VERIFY 1.8.8 P3",
                "BACKUP P3", "EXTRACT P3", "UNDEPLOY P3", "DEPLOY 1.9.0 P3", "RESTORE P3", "VERIFY 1.9.0 P3");
        assertThat(answer.getBoolean("plans[0].steps[4].params.noObjects")).isFalse();
        assertThat(answer.getBoolean("plans[0].steps[10].params.noObjects")).isTrue();
    }

    @Test
    void alreadyAtTargetIsAnEmptyPlanSaidSo() {
        preview("""
                {"product": "weaviate", "targetVersion": "1.30",
                 "clusters": [{"id": "done", "version": "1.30.23", "nodes": 3}]}""");
        given().contentType(ContentType.JSON)
                .body("{\"product\": \"weaviate\", \"targetVersion\": \"1.30\","
                        + " \"clusters\": [{\"id\": \"done\", \"version\": \"1.30.23\", \"nodes\": 3}]}")
                .when().post("/api/v1/plans/preview")
                .then().statusCode(200)
                .body("plans[0].steps", empty())
                .body("plans[0].alreadyAtTarget", equalTo(true))
                .body("plans[0].summary", containsString("already at target 1.30.23"));
    }

    @Test
    void selectorPlansRegisteredClustersOfTheProductAndInlineOnesWin() {
        for (String cluster : List.of(
                "{\"id\": \"pv-1\", \"product\": \"weaviate\", \"version\": \"1.29.0\", \"nodes\": 3, \"labels\": {\"fleet\": \"pv\"}}",
                "{\"id\": \"pv-2\", \"product\": \"weaviate\", \"version\": \"1.28.2\", \"nodes\": 3, \"labels\": {\"fleet\": \"pv\"}}",
                "{\"id\": \"pv-3\", \"product\": \"pachyderm\", \"version\": \"2.9.0\", \"labels\": {\"fleet\": \"pv\"}}")) {
            given().contentType(ContentType.JSON).body(cluster).when().post("/api/v1/clusters");
        }

        JsonPath answer = preview("""
                {"product": "weaviate", "targetVersion": "1.30", "selector": "fleet=pv",
                 "clusters": [{"id": "pv-2", "version": "1.29.11", "nodes": 3}]}""");

        assertThat(answer.getList("plans.clusterId")).containsExactly("pv-1", "pv-2");
        assertThat(answer.getString("plans[1].fromVersion")).isEqualTo("1.29.11");
        assertThat(answer.getList("refusals")).isEmpty();
    }

    @Test
    void tenThousandInlineClustersArePlannedAndSummarized() throws Exception {
        StringBuilder body = new StringBuilder("{\"product\": \"weaviate\", \"targetVersion\": \"latest\", \"clusters\": [");
        String[] versions = {"1.22.5", "1.24.10", "1.25.3", "1.27.20", "1.30.5", "1.33.1"};
        for (int i = 0; i < 10_000; i++) {
            body.append(i == 0 ? "" : ",").append("{\"id\": \"c").append(i).append("\", \"version\": \"")
                    .append(versions[i % versions.length]).append("\", \"nodes\": 3}");
        }
        body.append("]}");

        // The JDK client and Jackson rather than RestAssured's GPath: the answer holds some 150,000 steps.
        HttpResponse<byte[]> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + RestAssured.port + "/api/v1/plans/preview?view=summary"))
                .header("Content-Type", "application/json")
                .header("Authorization", AdminByDefault.adminAuthorization())
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode plans = JSON.readTree(answer.body()).get("plans");
        assertThat(plans).hasSize(10_000);
        assertThat(plans.get(9999).get("clusterId").asText()).isEqualTo("c9999");
        assertThat(plans.get(9999).get("toVersion").asText()).isEqualTo("1.39.0");
        // c9999 is on 1.27.20: twelve hops (1.28.16 ... 1.39.0) of three steps each, after the backup
        assertThat(plans.get(9999).get("path").get(0).asText()).isEqualTo("1.28.16");
        assertThat(plans.get(9999).get("path")).hasSize(12);
        assertThat(plans.get(9999).get("stepCount").asInt()).isEqualTo(37);
        assertThat(plans.get(9999).has("steps")).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"targetVersion\": \"1.30\", \"clusters\": [{\"id\": \"a\", \"version\": \"1.29.0\", \"nodes\": 1}]}|product",
            "{\"product\": \"mongodb\", \"targetVersion\": \"1.30\", \"selector\": \"env=prod\"}|product",
            "{\"product\": \"weaviate\", \"targetVersion\": \"one-thirty\", \"selector\": \"env=prod\"}|targetVersion",
            "{\"product\": \"weaviate\", \"selector\": \"env=prod\"}|targetVersion",
            "{\"product\": \"weaviate\", \"targetVersion\": \"1.30\"}|clusters",
            "{\"product\": \"weaviate\", \"targetVersion\": \"1.30\", \"selector\": \"env in (prod\"}|selector",
            "{\"product\": \"weaviate\", \"targetVersion\": \"1.30\", \"clusters\": [{\"version\": \"1.29.0\"}]}|clusters[0].id",
            "{\"product\": \"weaviate\", \"targetVersion\": \"1.30\", \"clusters\": [{\"id\": \"a\", \"nodes\": \"three\"}]}|clusters[0].nodes",
            "{\"product\": \"weaviate\", \"targetVersion\": \"1.30\", \"clusters\": [{\"id\": \"a\"}, {\"id\": \"a\"}]}|clusters[1].id",
            "{\"product\": \"weaviate\", \"targetVersion\": \"1.30\", \"clusters\": [{\"id\": \"a\", \"deployment\": \"vm\"}]}|clusters[0].deployment",
            "{\"product\": \"weaviate\", \"targetVersion\": \"1.30\", \"clusters\": {\"id\": \"a\"}}|clusters",
            "{\"product\": \"weaviate\", \"targetVersion\": \"1.30\", \"clusters\": [|body",
            "not json at all|body"})
    void badRequestsAre400sNamingTheField(String body, String field) {
        assertProblem(given().contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/plans/preview").then(), 400, field);
    }

    @Test
    void unknownViewIsRefused() {
        assertProblem(given().contentType(ContentType.JSON).queryParam("view", "tiny")
                .body("{\"product\": \"weaviate\", \"targetVersion\": \"1.30\", \"selector\": \"env=prod\"}")
                .when().post("/api/v1/plans/preview").then(), 400, "view");
    }

    @Test
    void tenMegabytesOfJsonIsRefusedAsTooLargeBeforeItIsRead() throws Exception {
        int tenMegabytes = 10 * 1024 * 1024;
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/plans/preview HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + tenMegabytes + "\r\n\r\n{\"product\": \"weaviate\", \"clusters\": [")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();

            String response = readResponse(socket.getInputStream());

            assertThat(response).startsWith("HTTP/1.1 413");
            assertThat(response).containsIgnoringCase("content-type: application/problem+json");
            assertThat(response).contains("\"status\":413").contains("8M");
        }
    }

    /** Reads one HTTP response: the head, then as many body bytes as its Content-Length says. */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        String headText = head.toString(StandardCharsets.US_ASCII);
        Matcher length = Pattern.compile("(?i)content-length:\\s*(\\d+)").matcher(headText);
        byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : new byte[0];
        return headText + new String(body, StandardCharsets.UTF_8);
    }
}
