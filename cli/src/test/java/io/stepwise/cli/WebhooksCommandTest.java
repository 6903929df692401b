package io.stepwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code webhooks list | add | delete | deliveries}: what each sends, what it prints, and that the secret stays unsaid. */
class WebhooksCommandTest {

    private static final String ID = "6f1c2f0e-5b7a-4a53-9c39-3d1bb2f0a001";
    private static final String WEBHOOK = """
            {"id": "%s", "url": "https://hooks.example/stepwise", "types": ["io.stepwise.rollout."],
             "rolloutId": null, "createdAt": "2026-12-06T10:00:00Z", "createdBy": "ada"}""".formatted(ID);
    private static final String SECRET = "s3cret-of-the-receiver-0123";

    private final CannedPlanner planner = new CannedPlanner()
            .on("POST /api/v1/webhooks", 201, WEBHOOK)
            .on("GET /api/v1/webhooks", 200, "{\"items\": [" + WEBHOOK + "], \"page\": 0, \"size\": 50, \"total\": 1}")
            .on("DELETE /api/v1/webhooks/" + ID, exchange -> exchange.sendResponseHeaders(204, -1))
            .on("GET /api/v1/webhooks/" + ID + "/deliveries", 200, """
                    {"items": [
                      {"id": 2, "eventId": "e-2", "eventType": "io.stepwise.rollout.finished", "rolloutId": "r-1",
                       "state": "PENDING", "attempts": 2, "lastStatus": 503, "lastError": "answered HTTP 503",
                       "nextAttemptAt": "2026-12-06T10:01:00Z", "deliveredAt": null, "createdAt": "2026-12-06T10:00:00Z"},
                      {"id": 1, "eventId": "e-1", "eventType": "io.stepwise.rollout.started", "rolloutId": "r-1",
                       "state": "DELIVERED", "attempts": 1, "lastStatus": 200, "lastError": null,
                       "nextAttemptAt": null, "deliveredAt": "2026-12-06T10:00:01Z", "createdAt": "2026-12-06T10:00:00Z"}],
                     "page": 0, "size": 50, "total": 2}""");

    @AfterEach
    void stop() {
        planner.close();
    }

    private Run run() {
        return new Run().env("STEPWISE_URL", planner.url()).env("STEPWISE_TOKEN", "t0ken");
    }

    @Test
    void addSendsTheWebhookWithTheSecretFromTheEnvironmentAndNeverPrintsIt() throws Exception {
        Run.Result r = run().env(WebhooksCommand.SECRET_ENV, SECRET).run("webhooks", "add",
                "https://hooks.example/stepwise", "--type", "io.stepwise.rollout.,io.stepwise.cluster.failed",
                "--rollout", "r-1");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Json.MAPPER.readTree(planner.requests("POST /api/v1/webhooks").get(0).body()))
                .isEqualTo(Json.MAPPER.readTree("""
                        {"url": "https://hooks.example/stepwise", "secret": "%s",
                         "types": ["io.stepwise.rollout.", "io.stepwise.cluster.failed"], "rolloutId": "r-1"}"""
                        .formatted(SECRET)));
        assertThat(r.out()).contains("Webhook " + ID + " created: https://hooks.example/stepwise")
                .doesNotContain(SECRET);
        assertThat(r.err()).doesNotContain(SECRET);
    }

    @Test
    void addReadsTheSecretFromAFileAndRefusesToGoWithoutOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("secret");
        Files.writeString(file, SECRET + "\n");
        Run.Result fromFile = run().run("webhooks", "add", "https://hooks.example/stepwise", "--secret-file",
                file.toString());
        assertThat(fromFile.exitCode()).as(fromFile.toString()).isZero();
        assertThat(Json.MAPPER.readTree(planner.requests("POST /api/v1/webhooks").get(0).body()).path("secret")
                .asText()).isEqualTo(SECRET);

        Run.Result none = run().run("webhooks", "add", "https://hooks.example/stepwise");
        assertThat(none.exitCode()).isEqualTo(Exit.USAGE);
        assertThat(none.err()).contains("--secret-file").contains(WebhooksCommand.SECRET_ENV);
        assertThat(planner.requests("POST /api/v1/webhooks")).hasSize(1);
    }

    @Test
    void listDeleteAndTheDeliveryLog() {
        Run.Result list = run().run("webhooks", "list");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).contains("ID", "URL", "TYPES").contains(ID + "  https://hooks.example/stepwise"
                + "  io.stepwise.rollout.");

        Run.Result log = run().run("webhooks", "deliveries", ID, "--state", "PENDING");
        assertThat(log.exitCode()).as(log.toString()).isZero();
        assertThat(planner.requests("GET /api/v1/webhooks/" + ID + "/deliveries").get(0).query())
                .isEqualTo("page=0&size=50&state=PENDING");
        assertThat(log.out().lines().skip(1).toList()).satisfiesExactly(
                line -> assertThat(line).contains("e-2", "PENDING", "answered HTTP 503", "2026-12-06T10:01:00Z"),
                line -> assertThat(line).contains("e-1", "DELIVERED", "200", "2026-12-06T10:00:01Z"));

        Run.Result delete = run().run("webhooks", "delete", ID);
        assertThat(delete.exitCode()).as(delete.toString()).isZero();
        assertThat(delete.out()).contains("Webhook " + ID + " deleted.");
        assertThat(planner.requests("DELETE /api/v1/webhooks/" + ID)).hasSize(1);
    }

    @Test
    void aRefusalIsExitThreeWithTheRoleNeeded() {
        planner.on("GET /api/v1/webhooks", 403, """
                {"type": "https://stepwise.io/problems/forbidden", "title": "Forbidden", "status": 403,
                 "detail": "this endpoint needs the role 'admin'; your token has the role(s) viewer"}""");

        Run.Result r = run().run("webhooks", "list");

        assertThat(r.exitCode()).isEqualTo(Exit.REFUSED);
        assertThat(r.err()).contains("403").contains("'admin'");
    }
}
