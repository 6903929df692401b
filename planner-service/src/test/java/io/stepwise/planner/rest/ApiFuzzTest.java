package io.stepwise.planner.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.stepwise.planner.testing.AdminByDefault;
import io.stepwise.testing.IssuerResource;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated requests against every operation of the live OpenAPI document, with tokens of every role and
 * none: no answer is a 5xx or carries a stack trace, and a refused request changes nothing (inventory, rollouts,
 * leases, catalogs and audit chains compared before and after). 2,000 requests in the normal run;
 * {@code -Dfuzz.requests=20000} for more, {@code -Dfuzz.seed=<n>} to replay a run.
 */
@QuarkusTest
@TestProfile(ApiFuzzTest.Quiet.class)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AdminByDefault.class, scope = TestResourceScope.GLOBAL)
class ApiFuzzTest {

    /** Nothing changes in the background while fuzzing (no timeouts fire), and a probing preview does not wait. */
    public static class Quiet implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stepwise.rollouts.timeout-check-interval", "1h",
                    "stepwise.api.preview-probe-timeout", "PT0.05S");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> HOSTILE = List.of("", " ", "..", "../..", "%2e%2e", "a".repeat(5000),
            "' or 1=1--", "\"; drop table cluster; --", "<script>alert(1)</script>", "${jndi:ldap://x}", "\u0000",
            "\ud800", "é\u200b👍", "-1", "NaN", "1e309", "null", "[]", "{}", "--all", "a,b=c", "env in (", "!!",
            "fleet=demo", "weaviate", "pachyderm", "latest", "1.30", "1.30.23", "0.0.0", "summary", "full", "true");

    @Inject
    AgroalDataSource dataSource;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Random random;
    private JsonNode openApi;
    private final List<String> clusterIds = new ArrayList<>();
    private final List<String> rolloutIds = new ArrayList<>();
    private final Map<String, String> tokens = new java.util.LinkedHashMap<>();

    @Test
    void noRandomOrMutatedRequestGets5xxOrAStackTraceAndNoRefusedOneChangesAnything() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        int requests = Integer.getInteger("fuzz.requests", 2000);
        random = new Random(seed);
        openApi = JSON.readTree(given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
                .extract().asString());
        seed();
        for (String role : List.of("viewer", "operator", "approver", "admin")) {
            tokens.put(role, "Bearer " + IssuerResource.token("fuzz-" + role, role));
        }
        tokens.put("none", null);
        List<Operation> operations = operations();

        List<String> failures = new ArrayList<>();
        for (int i = 0; i < requests && failures.size() < 10; i++) {
            Operation op = operations.get(random.nextInt(operations.size()));
            HttpRequest request = request(op);
            String before = snapshot();
            int status;
            String body;
            try {
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                status = response.statusCode();
                body = read(response);
            } catch (HttpTimeoutException stillStreaming) {
                continue; // a watch of a rollout that goes on: no answer to judge
            }
            String where = "#" + i + " " + request.method() + " " + request.uri() + " (seed " + seed + ")";
            if (status >= 500) {
                failures.add(where + ": " + status + " " + body);
            } else if (body.contains("\tat ") || body.contains("Exception") || body.contains("java.")) {
                failures.add(where + ": a stack trace or an exception name in the answer: " + body);
            } else if (status >= 400 && !before.equals(snapshot())) {
                failures.add(where + ": refused with " + status + " but changed something: " + body);
            }
        }
        assertThat(failures).as("seed %d", seed).isEmpty();
    }

    /** Real ids to aim at: a few registered clusters and a rollout. */
    private void seed() {
        for (int i = 0; i < 3; i++) {
            String id = "fuzz-" + Long.toHexString(random.nextLong() & 0xffffffL) + "-" + i;
            given().contentType(ContentType.JSON).body("{\"id\": \"" + id + "\", \"product\": \"weaviate\", \"version\":"
                    + " \"1.29.11\", \"nodes\": 3, \"endpoint\": \"https://" + id + ".example\", \"labels\": {\"fleet\":"
                    + " \"fuzz\"}}").when().post("/api/v1/clusters").then().statusCode(201);
            clusterIds.add(id);
        }
        rolloutIds.add(given().contentType(ContentType.JSON).body("{\"product\": \"weaviate\", \"targetVersion\": \"1.30\","
                + " \"clusterIds\": [\"" + clusterIds.get(0) + "\"], \"probe\": false}").when().post("/api/v1/rollouts")
                .then().statusCode(202).extract().path("id"));
    }

    private record Operation(String method, String path, JsonNode spec) {
    }

    private List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> paths = openApi.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fields().forEachRemaining(m -> operations.add(new Operation(m.getKey().toUpperCase(),
                    path.getKey(), m.getValue())));
        }
        assertThat(operations).hasSizeGreaterThan(20);
        return operations;
    }

    private HttpRequest request(Operation op) {
        String path = op.path();
        while (path.contains("{")) {
            int open = path.indexOf('{');
            int close = path.indexOf('}', open);
            String name = path.substring(open + 1, close);
            path = path.substring(0, open) + encode(pathValue(name)) + path.substring(close + 1);
        }
        StringBuilder query = new StringBuilder();
        for (JsonNode parameter : op.spec().path("parameters")) {
            if ("query".equals(parameter.path("in").asText()) && random.nextInt(3) > 0) {
                query.append(query.length() == 0 ? "?" : "&").append(parameter.path("name").asText()).append('=')
                        .append(encode(value(parameter.path("schema"))));
            }
        }
        if (random.nextInt(20) == 0) {
            query.append(query.length() == 0 ? "?" : "&").append(encode(pick(HOSTILE))).append('=')
                    .append(encode(pick(HOSTILE)));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path
                + query)).timeout(Duration.ofSeconds(3));
        String token = tokens.get(pick(List.copyOf(tokens.keySet())));
        if (token != null) {
            request.header("Authorization", token);
        } else if (random.nextBoolean()) {
            request.header("Authorization", pick(List.of("Bearer", "Bearer x.y.z", "Basic YTpi", "Bearer "
                    + "e".repeat(3000))));
        }
        if (random.nextInt(8) == 0) {
            request.header("Idempotency-Key", headerValue(pick(HOSTILE)));
        }
        if (random.nextInt(10) == 0) {
            request.header("X-Stepwise-Actor", headerValue(pick(HOSTILE)));
        }
        if (op.method().equals("GET") || op.method().equals("DELETE")) {
            return request.method(op.method(), HttpRequest.BodyPublishers.noBody()).build();
        }
        String contentType = random.nextInt(10) == 0 ? pick(List.of("text/plain", "application/xml",
                "application/json; charset=latin1", "multipart/form-data")) : "application/json";
        request.header("Content-Type", contentType);
        return request.method(op.method(), HttpRequest.BodyPublishers.ofString(body(op))).build();
    }

    private String pathValue(String name) {
        if (random.nextInt(4) > 0) {
            return switch (name) {
                case "product" -> pick(List.of("weaviate", "pachyderm"));
                case "id" -> random.nextBoolean() ? pick(clusterIds) : pick(rolloutIds);
                case "clusterId" -> pick(clusterIds);
                default -> pick(HOSTILE);
            };
        }
        return pick(HOSTILE);
    }

    /** A body for the operation: usually a mutation of a value of its schema, sometimes not JSON at all. */
    private String body(Operation op) {
        return switch (random.nextInt(12)) {
            case 0 -> "";
            case 1 -> "{\"unterminated\": ";
            case 2 -> pick(HOSTILE);
            case 3 -> "[".repeat(3000) + "]".repeat(3000);
            default -> {
                JsonNode schema = op.spec().path("requestBody").path("content").path("application/json").path("schema");
                yield mutate(generate(schema, 0)).toString();
            }
        };
    }

    private JsonNode generate(JsonNode schema, int depth) {
        schema = resolve(schema);
        if (depth > 5) {
            return NODES.nullNode();
        }
        String type = schema.path("type").isArray() ? schema.path("type").path(0).asText() : schema.path("type").asText();
        if (schema.has("enum")) {
            return schema.path("enum").path(random.nextInt(schema.path("enum").size()));
        }
        switch (type) {
            case "object" -> {
                ObjectNode object = NODES.objectNode();
                schema.path("properties").fields().forEachRemaining(p -> {
                    if (random.nextInt(4) > 0) {
                        object.set(p.getKey(), generate(p.getValue(), depth + 1));
                    }
                });
                if (schema.has("additionalProperties") && random.nextBoolean()) {
                    for (int i = random.nextInt(4); i > 0; i--) {
                        object.set(pick(HOSTILE).replace("\u0000", "k"), generate(schema.path("additionalProperties"),
                                depth + 1));
                    }
                }
                return object;
            }
            case "array" -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(generate(schema.path("items"), depth + 1));
                }
                return array;
            }
            case "integer" -> {
                return NODES.numberNode(pick(List.of(0, 1, 3, -1, 10_000, Integer.MAX_VALUE, Integer.MIN_VALUE)));
            }
            case "boolean" -> {
                return NODES.booleanNode(random.nextBoolean());
            }
            default -> {
                return NODES.textNode(value(schema));
            }
        }
    }

    private JsonNode mutate(JsonNode node) {
        if (random.nextInt(4) == 0) {
            return node;
        }
        if (node instanceof ObjectNode object && object.size() > 0 && random.nextBoolean()) {
            List<String> fields = new ArrayList<>();
            object.fieldNames().forEachRemaining(fields::add);
            String field = pick(fields);
            object.set(field, mutate(object.get(field)));
            return object;
        }
        return switch (random.nextInt(8)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.textNode(pick(HOSTILE));
            case 2 -> NODES.numberNode(random.nextLong());
            case 3 -> NODES.booleanNode(true);
            case 4 -> NODES.arrayNode().add(node);
            case 5 -> NODES.objectNode().set("x", node);
            case 6 -> NODES.numberNode(new java.math.BigDecimal("1e400"));
            default -> NODES.textNode("z".repeat(random.nextInt(100_000)));
        };
    }

    private String value(JsonNode schema) {
        schema = resolve(schema);
        if (schema.has("enum") && random.nextBoolean()) {
            return schema.path("enum").path(random.nextInt(schema.path("enum").size())).asText();
        }
        String type = schema.path("type").isArray() ? schema.path("type").path(0).asText() : schema.path("type").asText();
        if (type.equals("integer") && random.nextBoolean()) {
            return String.valueOf(pick(List.of(0, 1, 20, 500, 501, -1, Integer.MAX_VALUE, 1_000_000_000)));
        }
        return random.nextInt(3) == 0 && !clusterIds.isEmpty() ? pick(clusterIds) : pick(HOSTILE);
    }

    private JsonNode resolve(JsonNode schema) {
        if (schema.has("$ref")) {
            String name = schema.path("$ref").asText().replace("#/components/schemas/", "");
            return openApi.path("components").path("schemas").path(name);
        }
        if (schema.has("allOf")) {
            return resolve(schema.path("allOf").path(0));
        }
        return schema;
    }

    /** What an HTTP header can carry: printable ASCII (a client refuses to send anything else). */
    private static String headerValue(String text) {
        String printable = text.replaceAll("[^\\x20-\\x7e]", "").strip();
        return printable.isEmpty() ? "x" : printable;
    }

    private <T> T pick(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String read(HttpResponse<InputStream> response) throws Exception {
        try (InputStream in = response.body()) {
            if (response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
                return ""; // a live stream: its status is what is judged
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** What a refused request must not have changed, as one string. */
    private String snapshot() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select"
                     + " (select md5(coalesce(string_agg(id || version || coalesce(nodes, 0) || updated_at, ',' order by id), ''))"
                     + " from cluster),"
                     + " (select md5(coalesce(string_agg(id || state || audit_count || updated_at, ',' order by id), ''))"
                     + " from rollout),"
                     + " (select count(*) from rollout_cluster), (select count(*) from cluster_lease),"
                     + " (select md5(coalesce(string_agg(product || updated_at, ',' order by product), ''))"
                     + " from catalog_override),"
                     + " (select md5(coalesce(string_agg(kind || subject || count, ',' order by kind, subject), ''))"
                     + " from change_audit_head)")) {
            r.next();
            StringBuilder snapshot = new StringBuilder();
            for (int i = 1; i <= 6; i++) {
                snapshot.append(r.getString(i)).append('|');
            }
            return snapshot.toString();
        }
    }
}
