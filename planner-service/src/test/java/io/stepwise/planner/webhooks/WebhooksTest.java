package io.stepwise.planner.webhooks;

import static io.restassured.RestAssured.given;
import static io.stepwise.planner.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.stepwise.model.StepState;
import io.stepwise.model.StepStatus;
import io.stepwise.planner.domain.RolloutStep;
import io.stepwise.planner.service.StatusIntake;
import io.stepwise.planner.service.StatusIntake.Received;
import io.stepwise.planner.testing.AdminByDefault;
import io.stepwise.planner.webhooks.DeliveryIntake.Event;
import io.stepwise.testing.IssuerResource;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks end to end: real rollouts publish their lifecycle events through the outbox onto the real broker, the
 * planner reads them back and delivers them to an HTTP receiver run by the test, which checks what a receiver would.
 * Retries are milliseconds apart here (application.properties, %test).
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AdminByDefault.class, scope = TestResourceScope.GLOBAL)
class WebhooksTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "a-secret-of-the-receiver-" + UUID.randomUUID();

    /** One request the receiver got. */
    record Received(String path, Map<String, List<String>> headers, String body) {

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    @Inject
    StatusIntake intake;

    @Inject
    DeliveryIntake deliveries;

    @Inject
    WebhookSender sender;

    private HttpServer receiver;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<String> webhooks = new ArrayList<>();
    private String base;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.start();
        base = "http://127.0.0.1:" + receiver.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        webhooks.forEach(id -> given().when().delete("/api/v1/webhooks/" + id));
        receiver.stop(0);
    }

    @Test
    void anEventOfARealRolloutArrivesAsASignedCloudEvent() throws Exception {
        answer("/ok", event -> 200);
        String webhook = create(base + "/ok", List.of("io.stepwise.rollout.started"), null);
        String rollout = startRollout(register("wh-ok"));

        Received got = await().atMost(Duration.ofSeconds(30)).until(() -> of(rollout, "/ok"), r -> !r.isEmpty()).get(0);
        assertThat(got.header("Content-Type")).startsWith("application/cloudevents+json");
        // what a receiver does: HMAC-SHA256 of "<timestamp>.<body>" with the secret, compared with the header
        String timestamp = got.header("X-Stepwise-Timestamp");
        assertThat(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp))).isLessThan(300);
        assertThat(got.header("X-Stepwise-Signature")).isEqualTo("sha256=" + hmac(SECRET, timestamp + "." + got.body()));
        assertThat(got.header("X-Stepwise-Signature")).isNotEqualTo("sha256=" + hmac("another secret of sixteen",
                timestamp + "." + got.body()));
        JsonNode event = got.json();
        assertThat(event.path("specversion").asText()).isEqualTo("1.0");
        assertThat(event.path("type").asText()).isEqualTo("io.stepwise.rollout.started");
        assertThat(event.path("source").asText()).isEqualTo("/stepwise/planner");
        assertThat(event.path("subject").asText()).isEqualTo(rollout);
        assertThat(event.path("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(event.path("id").asText()).isNotBlank();
        assertThat(Instant.parse(event.path("time").asText())).isBefore(Instant.now());
        assertThat(event.path("data").path("rolloutId").asText()).isEqualTo(rollout);
        assertThat(event.path("data").path("state").asText()).isEqualTo("RUNNING");

        await().atMost(Duration.ofSeconds(10)).until(() -> delivery(webhook, event.path("id").asText())
                .getString("state").equals("DELIVERED"));
        JsonPath log = delivery(webhook, event.path("id").asText());
        assertThat(log.getInt("attempts")).isEqualTo(1);
        assertThat(log.getInt("lastStatus")).isEqualTo(200);
        assertThat(log.getString("lastError")).isNull();
        assertThat(log.getString("deliveredAt")).isNotNull();
        assertThat(log.getString("eventType")).isEqualTo("io.stepwise.rollout.started");
        assertThat(log.getString("rolloutId")).isEqualTo(rollout);
    }

    @Test
    void aReceiverThatFailsTwiceGetsTheEventOnTheThirdAttemptAndTheLogShowsIt() {
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        answer("/flaky", id -> attempts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet() <= 2 ? 503 : 204);
        String webhook = create(base + "/flaky", List.of("io.stepwise.rollout.started"), null);
        String rollout = startRollout(register("wh-flaky"));

        await().atMost(Duration.ofSeconds(30)).until(() -> of(rollout, "/flaky").size() >= 3);
        String eventId = of(rollout, "/flaky").get(0).json().path("id").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> delivery(webhook, eventId).getString("state")
                .equals("DELIVERED"));
        JsonPath log = delivery(webhook, eventId);
        assertThat(log.getInt("attempts")).isEqualTo(3);
        assertThat(log.getInt("lastStatus")).isEqualTo(204);
        assertThat(of(rollout, "/flaky")).hasSize(3).extracting(Received::body).containsOnly(of(rollout, "/flaky")
                .get(0).body());
    }

    @Test
    void aReceiverThatAlwaysFailsEndsFailedAfterTheMaximumOfAttempts() {
        answer("/down", id -> 500);
        String webhook = create(base + "/down", List.of("io.stepwise.rollout.started"), null);
        String rollout = startRollout(register("wh-down"));

        await().atMost(Duration.ofSeconds(30)).until(() -> !of(rollout, "/down").isEmpty());
        String eventId = of(rollout, "/down").get(0).json().path("id").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> delivery(webhook, eventId).getString("state")
                .equals("FAILED"));
        JsonPath log = delivery(webhook, eventId);
        assertThat(log.getInt("attempts")).isEqualTo(3);
        assertThat(log.getInt("lastStatus")).isEqualTo(500);
        assertThat(log.getString("lastError")).isEqualTo("answered HTTP 500");
        assertThat(log.getString("nextAttemptAt")).isNull();
        assertThat(of(rollout, "/down")).hasSize(3);
        given().queryParam("state", "FAILED").when().get("/api/v1/webhooks/" + webhook + "/deliveries").then()
                .statusCode(200).body("items.eventId", org.hamcrest.Matchers.hasItem(eventId));
    }

    @Test
    void aRedirectIsNotFollowed() {
        answer("/elsewhere", id -> 200);
        receiver.createContext("/moved", exchange -> {
            record(exchange);
            exchange.getResponseHeaders().add("Location", base + "/elsewhere");
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });
        String webhook = create(base + "/moved", List.of("io.stepwise.rollout.started"), null);
        String rollout = startRollout(register("wh-moved"));

        await().atMost(Duration.ofSeconds(30)).until(() -> of(rollout, "/moved").size() >= 3);
        String eventId = of(rollout, "/moved").get(0).json().path("id").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> delivery(webhook, eventId).getString("state")
                .equals("FAILED"));
        assertThat(delivery(webhook, eventId).getString("lastError")).contains("redirects are not followed");
        assertThat(of(rollout, "/elsewhere")).isEmpty();
    }

    @Test
    void aWebhookOfOneRolloutGetsOnlyThatRolloutsEvents() {
        answer("/mine", id -> 200);
        answer("/all", id -> 200);
        String a = startRollout(register("wh-a"));
        String b = startRollout(register("wh-b"));
        String mine = create(base + "/mine", null, a);
        create(base + "/all", null, null);

        finish(a);
        finish(b);

        await().atMost(Duration.ofSeconds(30)).until(() -> finished(a, "/mine") && finished(a, "/all")
                && finished(b, "/all"));
        List<String> rollouts = received.stream().filter(r -> r.path().equals("/mine"))
                .map(r -> r.json().path("data").path("rolloutId").asText()).distinct().toList();
        assertThat(rollouts).containsExactly(a);
        assertThat(of(a, "/mine")).extracting(r -> r.json().path("type").asText())
                .contains("io.stepwise.cluster.succeeded", "io.stepwise.rollout.finished");
        await().atMost(Duration.ofSeconds(10)).until(() -> given().when().get("/api/v1/webhooks/" + mine
                + "/deliveries").then().statusCode(200).extract().jsonPath().getList("items.state", String.class)
                .stream().allMatch("DELIVERED"::equals));
        assertThat(given().when().get("/api/v1/webhooks/" + mine + "/deliveries").then().extract().jsonPath()
                .getList("items.rolloutId", String.class)).isNotEmpty().containsOnly(a);
    }

    @Test
    void anEventConsumedAgainIsDeliveredOnce() {
        answer("/once", id -> 200);
        String webhook = create(base + "/once", List.of("io.stepwise.test."), null);
        Event event = new Event(UUID.randomUUID().toString(), "/stepwise/planner", "io.stepwise.test.again", null,
                Instant.now(), JSON.createObjectNode().put("rolloutId", "r-again"));
        deliveries.acceptAll(List.of(event));
        deliveries.acceptAll(List.of(event, event));

        await().atMost(Duration.ofSeconds(10)).until(() -> given().when().get("/api/v1/webhooks/" + webhook
                + "/deliveries").then().extract().jsonPath().getList("items.state", String.class)
                .equals(List.of("DELIVERED")));
        assertThat(received.stream().filter(r -> r.path().equals("/once"))).hasSize(1);
    }

    @Test
    void anEndedDeliveryLeavesTheLogAfterTheRetention() {
        answer("/kept", id -> 200);
        String webhook = create(base + "/kept", List.of("io.stepwise.test."), null);
        deliveries.acceptAll(List.of(new Event(UUID.randomUUID().toString(), "/stepwise/planner",
                "io.stepwise.test.kept", null, Instant.now(), JSON.createObjectNode())));
        await().atMost(Duration.ofSeconds(10)).until(() -> given().when().get("/api/v1/webhooks/" + webhook
                + "/deliveries").then().extract().jsonPath().getList("items.state", String.class)
                .equals(List.of("DELIVERED")));

        sender.forgetEndedBefore(Instant.now().minus(Duration.ofDays(30)));
        given().when().get("/api/v1/webhooks/" + webhook + "/deliveries").then().body("total",
                org.hamcrest.Matchers.equalTo(1));
        // the retention has passed for it
        sender.forgetEndedBefore(Instant.now().plus(Duration.ofMinutes(1)));
        given().when().get("/api/v1/webhooks/" + webhook + "/deliveries").then().body("total",
                org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void hostileInputIsRefusedNamingTheField() {
        assertProblem(post("{\"url\": \"ftp://hooks.example/x\", \"secret\": \"" + SECRET + "\"}"), 400, "url");
        assertProblem(post("{\"url\": \"not a url\", \"secret\": \"" + SECRET + "\"}"), 400, "url");
        assertProblem(post("{\"url\": \"https://user:pw@hooks.example/x\", \"secret\": \"" + SECRET + "\"}"), 400,
                "url");
        assertProblem(post("{\"url\": \"https://hooks.example/x\"}"), 400, "secret");
        assertProblem(post("{\"url\": \"https://hooks.example/x\", \"secret\": \"short\"}"), 400, "secret");
        assertProblem(post("{\"url\": \"https://hooks.example/x\", \"secret\": \"" + SECRET + "\", \"sekret\": 1}"),
                400, "sekret");
        assertProblem(post("{\"url\": \"https://hooks.example/x\", \"secret\": \"" + SECRET + "\", \"types\":"
                + " [\"io.stepwise.*\"]}"), 400, "types[0]");
        assertProblem(post("{\"url\": \"https://hooks.example/x\", \"secret\": \"" + SECRET + "\", \"types\":"
                + " \"io.stepwise.\"}"), 400, "types");
        assertProblem(post("{\"url\": \"https://hooks.example/x\", \"secret\": \"" + SECRET + "\", \"rolloutId\":"
                + " \"no-such-rollout\"}"), 400, "rolloutId");
        assertProblem(post("[]"), 400, "body");
        assertProblem(given().queryParam("state", "LOST").when().get("/api/v1/webhooks/"
                + create(base + "/x", null, null) + "/deliveries").then(), 400, "state");
        assertProblem(given().queryParam("size", "0").when().get("/api/v1/webhooks").then(), 400, "size");
    }

    @Test
    void onlyAnAdminMayCreateOrReadWebhooksAndNeitherTheSecretNorTheUrlsPathIsShownOrAudited() {
        String body = "{\"url\": \"https://hooks.example/services/T0/B0/token-in-path\", \"secret\": \"" + SECRET
                + "\"}";
        for (String role : List.of("viewer", "operator", "approver")) {
            String token = "Bearer " + IssuerResource.token("wh-" + role, role);
            given().contentType(ContentType.JSON).header("Authorization", token).body(body)
                    .when().post("/api/v1/webhooks").then().statusCode(403)
                    .contentType("application/problem+json").body("detail", containsString("'admin'"));
            given().header("Authorization", token).when().get("/api/v1/webhooks").then().statusCode(403);
        }

        String created = given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + IssuerResource.token("ada", "admin")).body(body)
                .when().post("/api/v1/webhooks").then().statusCode(201)
                .header("Location", containsString("/api/v1/webhooks/"))
                .body("$", not(hasKey("secret"))).extract().asString();
        String id = JsonPath.from(created).getString("id");
        assertThat(created).doesNotContain(SECRET);
        assertThat(given().when().get("/api/v1/webhooks/" + id).then().statusCode(200).extract().asString())
                .doesNotContain(SECRET).contains("token-in-path");
        given().header("Authorization", "Bearer " + IssuerResource.token("ada", "admin"))
                .when().delete("/api/v1/webhooks/" + id).then().statusCode(204);
        given().when().get("/api/v1/webhooks/" + id).then().statusCode(404);
        given().when().delete("/api/v1/webhooks/" + id).then().statusCode(404);

        String audit = given().queryParam("kind", "webhook").queryParam("subject", id).when().get("/api/v1/audit")
                .then().statusCode(200).extract().asString();
        assertThat(JsonPath.from(audit).getList("type", String.class)).containsExactly("webhook.created",
                "webhook.deleted");
        assertThat(JsonPath.from(audit).getList("actor", String.class)).containsOnly("ada");
        assertThat(audit).doesNotContain(SECRET).doesNotContain("token-in-path").contains("https://hooks.example/…");
        given().queryParam("kind", "webhook").queryParam("subject", id).when().get("/api/v1/audit/verify").then()
                .statusCode(200).body("valid", org.hamcrest.Matchers.equalTo(true));
    }

    // --- the receiver

    /** Answers requests to {@code path} with the status chosen from the CloudEvent id of each. */
    private void answer(String path, Function<String, Integer> statusOfEvent) {
        receiver.createContext(path, exchange -> {
            Received r = record(exchange);
            int status = statusOfEvent.apply(r.json().path("id").asText());
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
    }

    private Received record(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
        Received r = new Received(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()),
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        received.add(r);
        return r;
    }

    /** What {@code path} received about the rollout, in arrival order. */
    private List<Received> of(String rollout, String path) {
        return received.stream().filter(r -> r.path().equals(path))
                .filter(r -> rollout.equals(r.json().path("data").path("rolloutId").asText())).toList();
    }

    private boolean finished(String rollout, String path) {
        return of(rollout, path).stream().anyMatch(r -> r.json().path("type").asText()
                .equals("io.stepwise.rollout.finished"));
    }

    // --- the planner

    private String create(String url, List<String> types, String rolloutId) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("url", url);
        body.put("secret", SECRET);
        if (types != null) {
            body.put("types", types);
        }
        if (rolloutId != null) {
            body.put("rolloutId", rolloutId);
        }
        String id = given().contentType(ContentType.JSON).body(body).when().post("/api/v1/webhooks").then()
                .statusCode(201).extract().path("id");
        webhooks.add(id);
        return id;
    }

    private static io.restassured.response.ValidatableResponse post(String body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/api/v1/webhooks").then();
    }

    private JsonPath delivery(String webhook, String eventId) {
        JsonPath log = given().queryParam("size", "500").when().get("/api/v1/webhooks/" + webhook + "/deliveries")
                .then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> items = log.getList("items");
        int index = items.stream().map(i -> i.get("eventId")).toList().indexOf(eventId);
        assertThat(index).as("a delivery of event " + eventId).isNotNegative();
        return JsonPath.from(log.prettify()).setRootPath("items[" + index + "]");
    }

    private static String register(String prefix) {
        String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
        given().contentType(ContentType.JSON).body("{\"id\": \"" + id + "\", \"product\": \"weaviate\", \"version\":"
                + " \"1.29.11\", \"nodes\": 1, \"endpoint\": \"http://localhost:9/" + id + "\"}")
                .when().post("/api/v1/clusters").then().statusCode(201);
        return id;
    }

    private static String startRollout(String cluster) {
        return given().contentType(ContentType.JSON).body("{\"product\": \"weaviate\", \"targetVersion\": \"1.30\","
                        + " \"clusterIds\": [\"" + cluster + "\"]}")
                .when().post("/api/v1/rollouts").then().statusCode(202).extract().path("id");
    }

    /** Every step of the rollout's one cluster succeeds, as the executor would report it. */
    private void finish(String rollout) {
        JsonPath view = given().when().get("/api/v1/rollouts/" + rollout).then().statusCode(200).extract().jsonPath();
        String cluster = view.getString("clusters[0].clusterId");
        int steps = view.getList("clusters[0].steps").size();
        List<StatusIntake.Received> done = new ArrayList<>();
        for (int seq = 1; seq <= steps; seq++) {
            done.add(new StatusIntake.Received(UUID.randomUUID().toString(), new StepStatus(
                    RolloutStep.idOf(rollout, cluster, seq), rollout, cluster, seq, 1, StepState.SUCCEEDED, null,
                    "done", Instant.now())));
        }
        intake.applyAll(done);
        given().when().get("/api/v1/rollouts/" + rollout).then().body("state",
                org.hamcrest.Matchers.equalTo("SUCCEEDED"));
    }

    private static String hmac(String secret, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }
}
