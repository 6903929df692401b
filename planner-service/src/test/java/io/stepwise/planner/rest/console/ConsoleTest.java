package io.stepwise.planner.rest.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.stepwise.planner.testing.AdminByDefault;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import io.stepwise.model.StepState;
import io.stepwise.model.StepStatus;
import io.stepwise.planner.domain.RolloutStep;
import io.stepwise.planner.service.StatusIntake;
import io.stepwise.planner.service.StatusIntake.Received;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/**
 * The console over HTTP, signed in through the issuer as people are: what each role sees and may press, what a
 * forged or hostile request gets. The same console in a real browser is ConsoleIT in system-tests.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AdminByDefault.class, scope = TestResourceScope.GLOBAL)
class ConsoleTest {

    @Inject
    StatusIntake intake;

    @Test
    void aPageWithoutASessionLeadsToTheSignInAndTheRootLeadsToTheConsole() {
        ConsoleSession.anonymous().get("/").then().statusCode(303)
                .header("Location", org.hamcrest.Matchers.endsWith("/console/fleet"));
        Response page = ConsoleSession.anonymous().get("/console/rollouts");
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.header("Location")).contains("/issuer/auth?").contains("client_id=stepwise-console");
        // a bearer token is no way into the console: it is the API's, and the console signs people in
        given().redirects().follow(false).header("Authorization", AdminByDefault.adminAuthorization())
                .get("/console/rollouts").then().statusCode(302);
    }

    @Test
    void signingOutEndsTheSession() {
        ConsoleSession viewer = ConsoleSession.signIn("viewer");
        Response out = viewer.page().post("/console/sign-out");
        assertThat(out.statusCode()).as(out.asString()).isEqualTo(204);
        assertThat(out.header("HX-Redirect")).isEqualTo("/signed-out.html");
        assertThat(out.getDetailedCookies().asList()).as("the session cookie is cleared")
                .anyMatch(cookie -> cookie.getName().startsWith("q_session") && cookie.getMaxAge() == 0);
    }

    @Test
    void theFleetShowsVersionsByLineAndEachClustersRollout() {
        String tag = tag("fleet");
        register(tag + "-a", tag, "1.24.10", "blue");
        register(tag + "-b", tag, "1.24.8", "ok");
        register(tag + "-c", tag, "1.29.11", "ok");
        String rollout = startRollout(tag, "1.30", tag + "-c");

        ConsoleSession viewer = ConsoleSession.signIn("viewer");
        Document fleet = html(viewer.browser().queryParam("selector", "fleet=" + tag).get("/console/fleet"), 200);
        assertThat(fleet.select("#who").text()).contains("local-viewer").contains("viewer");
        assertThat(fleet.select("[data-product=weaviate] .row").eachText())
                .containsExactly("1.29 1", "1.24 2");
        assertThat(fleet.select("[data-product=weaviate] .row").get(1).attr("title"))
                .isEqualTo("1.24.10 ×1, 1.24.8 ×1");
        assertThat(fleet.select("#clusters tbody tr").eachAttr("data-cluster"))
                .containsExactly(tag + "-a", tag + "-b", tag + "-c");
        assertThat(fleet.select("tr[data-cluster=" + tag + "-c] a").attr("href"))
                .isEqualTo("/console/rollouts/" + rollout);
        assertThat(fleet.select("tr[data-cluster=" + tag + "-a]").text()).contains("note=blue");
    }

    @Test
    void theFleetShowsHoldsWindowsFreezesPoliciesAndStrategiesButWebhooksOnlyToAdmins() {
        String tag = tag("calendar");
        register(tag + "-a", tag, "1.29.11", "ok");
        given().contentType(ContentType.JSON).body("{\"reason\": \"quarterly <b>close</b>\"}")
                .put("/api/v1/clusters/" + tag + "-a/hold").then().statusCode(200);
        String freeze = given().contentType(ContentType.JSON).body("{\"from\": \"2099-12-24T00:00:00Z\", \"to\":"
                + " \"2099-12-27T00:00:00Z\", \"reason\": \"" + tag + " holidays\"}").post("/api/v1/freezes").then()
                .statusCode(201).extract().path("id");
        given().contentType(ContentType.JSON).body("{\"windows\": [{\"days\": [\"SUN\"], \"start\": \"02:00\","
                + " \"duration\": \"PT3H\", \"timeZone\": \"UTC\"}]}").put("/api/v1/window-policies/" + tag)
                .then().statusCode(201);
        given().contentType(ContentType.JSON).body("{\"maxParallel\": 4}").put("/api/v1/strategies/" + tag).then()
                .statusCode(201);
        String webhook = given().contentType(ContentType.JSON).body("{\"url\": \"https://hooks.example/" + tag
                + "\", \"secret\": \"a-secret-of-some-length\"}").post("/api/v1/webhooks").then().statusCode(201)
                .extract().path("id");
        try {
            Document viewer = html(ConsoleSession.signIn("viewer").browser().queryParam("selector", "fleet=" + tag)
                    .get("/console/fleet"), 200);
            assertThat(viewer.select("tr[data-cluster=" + tag + "-a] .held").text())
                    .isEqualTo("held by test-admin: quarterly <b>close</b>");
            assertThat(viewer.select("#freezes").text()).contains(tag + " holidays", "2099-12-24");
            assertThat(viewer.select("tr[data-policy=" + tag + "]").text()).contains("SUN 02:00 for PT3H (UTC)");
            assertThat(viewer.select("tr[data-strategy=" + tag + "]").text()).contains("maxParallel", "4");
            assertThat(viewer.select("#webhooks")).as("a webhook's URL may be a secret: admins only").isEmpty();
            Document admin = html(ConsoleSession.signIn("admin").browser().get("/console/fleet"), 200);
            assertThat(admin.select("tr[data-webhook=" + webhook + "]").text()).contains("hooks.example/" + tag);
        } finally {
            given().delete("/api/v1/freezes/" + freeze).then().statusCode(204);
            given().delete("/api/v1/webhooks/" + webhook).then().statusCode(204);
        }
    }

    @Test
    void aBadSelectorIsNamedOnThePageAndHostileTextIsShownNotRun() {
        String hostile = "env in (<script>alert(1)</script>";
        Document page = html(ConsoleSession.signIn("viewer").browser().queryParam("selector", hostile)
                .get("/console/fleet"), 400);
        assertThat(page.select(".alert").text()).contains("Invalid selector");
        assertThat(page.select("input[name=selector]").attr("value")).isEqualTo(hostile);
        assertThat(page.select("script").eachAttr("src")).allMatch(src -> src.startsWith("/webjars/"));
    }

    @Test
    void anOperatorPreviewsThenStartsOnceWhateverTheClicksAndSeesTheRolloutLive() {
        String tag = tag("plan");
        register(tag + "-a", tag, "1.24.10", "ok");
        register(tag + "-b", tag, "1.30.5", "ok");
        ConsoleSession operator = ConsoleSession.signIn("operator");

        Document plan = html(operator.page().formParam("product", "weaviate").formParam("target", "1.30")
                .formParam("selector", "fleet=" + tag).post("/console/plan"), 200);
        assertThat(plan.select("#plan-summary h2").text()).isEqualTo("2 clusters planned, 0 refused");
        assertThat(plan.select("#plan-summary tbody tr").eachText())
                .anyMatch(row -> row.matches("1\\.24\\.10( → 1\\.(25|26|27|28|29|30)\\.\\d+){6} .*"));
        assertThat(plan.select("details[data-cluster=" + tag + "-a] tbody tr").first().text()).contains("BACKUP");
        String key = plan.select("#start-form input[name=idempotencyKey]").attr("value");

        Response started = start(operator, tag, key);
        Response again = start(operator, tag, key);
        assertThat(started.statusCode()).isEqualTo(204);
        String location = started.header("HX-Redirect");
        assertThat(again.header("HX-Redirect")).as("a double click starts one rollout").isEqualTo(location);

        Document rollout = html(operator.browser().get(location), 200);
        assertThat(rollout.select("#rollout-clusters tbody tr").eachAttr("data-cluster"))
                .containsExactly(tag + "-a", tag + "-b");
        assertThat(rollout.select("[hx-ext=sse]").attr("sse-connect")).isEqualTo(location + "/changes");
        assertThat(rollout.select("button#pause")).hasSize(1);
        given().get("/api/v1/rollouts/" + id(location) + "?view=summary").then().statusCode(200)
                .body("product", org.hamcrest.Matchers.equalTo("weaviate"));
    }

    @Test
    void buttonsFollowRolesAndAViewerOrAForgedFormChangesNothing() {
        String tag = tag("roles");
        register(tag + "-a", tag, "1.29.11", "ok");
        String rollout = startRollout(tag, "1.30", null);
        String page = "/console/rollouts/" + rollout;

        ConsoleSession viewer = ConsoleSession.signIn("viewer");
        Document seen = html(viewer.browser().get(page), 200);
        assertThat(seen.select("#pause, #resume, #cancel, button.retry, button.approve")).isEmpty();
        viewer.page().post(page + "/pause").then().statusCode(403);
        html(viewer.browser().get("/console/plan"), 200).select("#plan-form").forEach(form ->
                assertThat(form.select("button")).isEmpty());

        ConsoleSession operator = ConsoleSession.signIn("operator");
        operator.browser().post(page + "/pause").then().statusCode(403);
        assertThat(state(rollout)).as("neither the viewer nor a forged form paused it").isEqualTo("RUNNING");

        Document paused = html(operator.page().post(page + "/pause"), 200);
        assertThat(paused.select("#rollout-state").text()).isEqualTo("PAUSED");
        assertThat(paused.select("#resume")).hasSize(1);
        assertThat(state(rollout)).isEqualTo("PAUSED");
        given().get("/api/v1/rollouts/" + rollout + "/audit").then().statusCode(200)
                .body("find { it.type == 'rollout.paused' }.actor", org.hamcrest.Matchers.equalTo("local-operator"));

        Document refused = html(operator.page().post(page + "/pause"), 409);
        assertThat(refused.select(".alert").text()).contains("PAUSED");
    }

    @Test
    void theAuditTrailIsShownWithItsVerification() {
        String tag = tag("audit");
        register(tag + "-a", tag, "1.29.11", "ok");
        String rollout = startRollout(tag, "1.30", null);
        Document audit = html(ConsoleSession.signIn("viewer").browser()
                .get("/console/rollouts/" + rollout + "/audit"), 200);
        assertThat(audit.select("#audit-verdict").attr("data-valid")).isEqualTo("true");
        assertThat(audit.select("#audit-entries tbody tr").eachText()).anyMatch(row -> row.contains("rollout.requested"));
    }

    @Test
    void aFailedClustersRowLinksToItsRecoveryWithTheRulesAndTheRequestToStartIt() {
        String tag = tag("recovery");
        String cluster = tag + "-a";
        register(cluster, tag, "1.29.11", "ok");
        String rollout = startRollout(tag, "1.30", null);
        // backed up, then failed at its sync check: the backup restores in place, there is nothing to go down from
        intake.applyAll(List.of(status(rollout, cluster, 1, StepState.SUCCEEDED),
                status(rollout, cluster, 2, StepState.FAILED)));
        ConsoleSession viewer = ConsoleSession.signIn("viewer");

        Document page = html(viewer.browser().get("/console/rollouts/" + rollout), 200);
        String link = page.select("tr[data-cluster=" + cluster + "] a.recovery").attr("href");
        assertThat(link).isEqualTo("/console/rollouts/" + rollout + "/clusters/" + cluster + "/recovery");

        Document recovery = html(viewer.browser().get(link), 200);
        assertThat(recovery.select("#recovery-version").text()).isEqualTo("1.29.11");
        assertThat(recovery.select("#recovery-before").text()).isEqualTo("1.29.11");
        Element restore = recovery.selectFirst(".recovery-option[data-kind=RESTORE_BACKUP]");
        assertThat(restore.attr("data-allowed")).isEqualTo("true");
        assertThat(restore.select(".recovery-steps tbody tr").eachText())
                .satisfiesExactly(row -> assertThat(row).contains("RESTORE", "W11"),
                        row -> assertThat(row).contains("VERIFY", "1.29.11", "W8"));
        assertThat(restore.select(".recovery-start").text()).contains("\"recoveryOf\"", rollout);
        Element downgrade = recovery.selectFirst(".recovery-option[data-kind=DOWNGRADE]");
        assertThat(downgrade.attr("data-allowed")).isEqualTo("false");
        assertThat(downgrade.select(".recovery-reason").text()).contains("nothing to go back from");
        assertThat(downgrade.select(".recovery-start")).isEmpty();

        Document notFailed = html(viewer.browser().get("/console/rollouts/" + rollout + "/clusters/nobody/recovery"),
                404);
        assertThat(notFailed.select(".alert").text()).contains("no cluster 'nobody'");
    }

    private static Received status(String rolloutId, String clusterId, int seq, StepState state) {
        return new Received(UUID.randomUUID().toString(), new StepStatus(RolloutStep.idOf(rolloutId, clusterId, seq),
                rolloutId, clusterId, seq, 1, state, null, state == StepState.FAILED ? "it broke" : "done",
                Instant.now()));
    }

    private static Response start(ConsoleSession operator, String tag, String key) {
        return operator.page().formParam("product", "weaviate").formParam("target", "1.30")
                .formParam("selector", "fleet=" + tag).formParam("maxParallel", "2")
                .formParam("maxFailedClusters", "1").formParam("busyClusters", "refuse")
                .formParam("idempotencyKey", key).post("/console/plan/start");
    }

    private static Document html(Response response, int status) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(status);
        return Jsoup.parse(response.asString());
    }

    private static String state(String rollout) {
        return given().get("/api/v1/rollouts/" + rollout + "?view=summary").then().extract().path("state");
    }

    private static String id(String location) {
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private static String startRollout(String tag, String target, String clusterId) {
        String clusters = clusterId == null ? "\"selector\": \"fleet=" + tag + "\""
                : "\"clusterIds\": [\"" + clusterId + "\"]";
        return given().contentType(ContentType.JSON).body("{\"product\": \"weaviate\", \"targetVersion\": \""
                + target + "\", " + clusters + "}").post("/api/v1/rollouts").then().statusCode(202)
                .extract().path("id");
    }

    private static void register(String id, String tag, String version, String note) {
        given().contentType(ContentType.JSON).body("{\"id\": \"" + id + "\", \"product\": \"weaviate\", \"version\": \""
                        + version + "\", \"nodes\": 3, \"endpoint\": \"http://localhost:9/x\", \"labels\": {\"fleet\": \""
                        + tag + "\", \"note\": \"" + note.replace("\"", "\\\"") + "\"}}")
                .put("/api/v1/clusters/" + id).then().statusCode(201);
    }

    private static String tag(String what) {
        return what + "-" + UUID.randomUUID().toString().substring(0, 6);
    }
}
