package io.stepwise.planner.rest;

import static io.restassured.RestAssured.given;
import static io.stepwise.planner.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import io.stepwise.planner.testing.AdminByDefault;
import io.stepwise.planner.testing.FakeExecutor;
import io.stepwise.planner.testing.FakeExecutor.Reply;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The recovery preview of a cluster that failed in a real rollout (through the broker, answered by the
 * {@link FakeExecutor}), and each allowed way back started as a new rollout with the request the preview gives.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AdminByDefault.class, scope = TestResourceScope.GLOBAL)
class RecoveryResourceTest {

    private static FakeExecutor executor;

    @BeforeAll
    static void startFakeExecutor() {
        executor = new FakeExecutor();
    }

    @AfterAll
    static void stopFakeExecutor() throws InterruptedException {
        executor.close();
    }

    @Test
    void aClusterThatFailedOnItsSecondHopCanGoBackByDowngradeOrByItsBackup() {
        String down = cluster("weaviate", "1.28.5", 3);
        String failed = failAt(down, "weaviate", "1.30", s -> s.kind() == StepKind.UPGRADE
                && "1.30.23".equals(s.toVersion()));
        String backupId = asked(failed, StepKind.BACKUP).get("backupId").toString();

        JsonPath preview = recovery(failed, down).statusCode(200).extract().jsonPath();
        assertThat(preview.getString("version")).as("verified on the first hop").isEqualTo("1.29.11");
        assertThat(preview.getString("versionBefore")).isEqualTo("1.28.5");
        assertThat(preview.getString("failedStep.kind")).isEqualTo("UPGRADE");
        assertThat(preview.getString("failedStep.toVersion")).isEqualTo("1.30.23");
        assertThat(preview.getString("failedStep.error")).contains("simulated failure");
        assertThat(preview.getString("backup.backupId")).isEqualTo(backupId);
        assertThat(preview.getString("backup.state")).isEqualTo("SUCCEEDED");
        assertThat(preview.getBoolean("rolloutEnded")).isTrue();

        Map<String, Object> downgrade = option(preview, "DOWNGRADE");
        assertThat(downgrade).containsEntry("allowed", true).containsEntry("rule", "W10");
        assertThat(kinds(downgrade)).containsExactly("BACKUP", "SYNC_CHECK", "DOWNGRADE", "VERIFY");
        Map<String, Object> restore = option(preview, "RESTORE_BACKUP");
        assertThat(restore).containsEntry("allowed", true).containsEntry("rule", "W11");
        assertThat(kinds(restore)).containsExactly("BACKUP", "SYNC_CHECK", "DOWNGRADE", "VERIFY", "RESTORE", "VERIFY");
        assertThat(restore.toString()).contains("backupId=" + backupId);

        // the downgrade, started with the request the preview gives, runs the steps it showed
        JsonPath back = runToTheEnd(startOption(downgrade));
        assertThat(back.getList("clusters[0].steps.kind")).isEqualTo(kinds(downgrade));
        given().when().get("/api/v1/clusters/" + down).then().body("version", equalTo("1.28.5"));
        // ... after which the cluster has nothing left to go back from, and its backup restores in place
        JsonPath after = recovery(failed, down).statusCode(200).extract().jsonPath();
        assertThat(option(after, "DOWNGRADE")).containsEntry("allowed", false);
        assertThat((String) option(after, "DOWNGRADE").get("reason")).contains("nothing to go back from");
        assertThat(kinds(option(after, "RESTORE_BACKUP"))).containsExactly("RESTORE", "VERIFY");
    }

    @Test
    void theRestoreIsStartedWithItsRecoveryOfAndRestoresTheBackupTakenBeforeTheFailedRollout() {
        String restored = cluster("weaviate", "1.28.5", 3);
        String failed = failAt(restored, "weaviate", "1.30", s -> s.kind() == StepKind.UPGRADE
                && "1.30.23".equals(s.toVersion()));
        String backupId = asked(failed, StepKind.BACKUP).get("backupId").toString();
        Map<String, Object> restore = option(recovery(failed, restored).extract().jsonPath(), "RESTORE_BACKUP");
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) ((Map<String, Object>) restore.get("start")).get("body");
        assertThat(body).containsEntry("recoveryOf", Map.of("rolloutId", failed, "clusterId", restored));

        // a recovery goes back to the version before, nowhere else
        Map<String, Object> elsewhere = new java.util.HashMap<>(body);
        elsewhere.put("targetVersion", "1.29.11");
        assertProblem(given().contentType(ContentType.JSON).body(elsewhere).when().post("/api/v1/rollouts").then(),
                400, "targetVersion").body("detail", containsString("1.28.5"));
        Map<String, Object> unknown = new java.util.HashMap<>(body);
        unknown.put("recoveryOf", Map.of("rolloutId", "no-such-rollout", "clusterId", restored));
        assertProblem(given().contentType(ContentType.JSON).body(unknown).when().post("/api/v1/rollouts").then(),
                400, "recoveryOf.rolloutId");

        JsonPath back = runToTheEnd(startOption(restore));
        assertThat(back.getList("clusters[0].steps.kind")).isEqualTo(kinds(restore));
        assertThat(asked(back.getString("id"), StepKind.RESTORE)).as("the executor restores the backup taken before"
                + " the failed rollout").isEqualTo(Map.of("backupId", backupId));
        given().when().get("/api/v1/clusters/" + restored).then().body("version", equalTo("1.28.5"));
    }

    @Test
    void aPachydermClusterThatFailedInItsMigrationIsRedeployedAndItsDumpRestored() {
        String pach = cluster("pachyderm", "1.9.12", 1);
        String failed = failAt(pach, "pachyderm", "1.10", s -> s.kind() == StepKind.DEPLOY);

        JsonPath preview = recovery(failed, pach).statusCode(200).extract().jsonPath();
        assertThat(preview.getString("version")).isEqualTo("1.9.12");
        assertThat(preview.getString("backup.dump")).endsWith("/" + pach + "/"
                + preview.getString("backup.backupId") + ".dump");
        assertThat(option(preview, "DOWNGRADE")).containsEntry("allowed", false).containsEntry("rule", "P7")
                .doesNotContainKey("start");
        Map<String, Object> restore = option(preview, "RESTORE_BACKUP");
        assertThat(restore).containsEntry("allowed", true).containsEntry("rule", "P8");
        assertThat(kinds(restore)).containsExactly("UNDEPLOY", "DEPLOY", "RESTORE", "VERIFY");
    }

    @Test
    void withoutItsBackupThereIsNoRestoreAndStartingOneIsRefusedWithTheRule() {
        String lost = cluster("weaviate", "1.29.0", 3);
        String failed = failAt(lost, "weaviate", "1.30", s -> s.kind() == StepKind.BACKUP);

        JsonPath preview = recovery(failed, lost).statusCode(200).extract().jsonPath();
        assertThat(preview.getString("backup.state")).isEqualTo("FAILED");
        assertThat(option(preview, "RESTORE_BACKUP")).containsEntry("allowed", false).containsEntry("rule", "W3");
        assertThat(option(preview, "DOWNGRADE")).containsEntry("allowed", false).containsEntry("rule", "W10");
        given().contentType(ContentType.JSON).body(Map.of("product", "weaviate", "targetVersion", "1.29.0",
                        "clusterIds", List.of(lost), "recoveryOf", Map.of("rolloutId", failed, "clusterId", lost)))
                .when().post("/api/v1/rollouts").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("(W3)"));
    }

    @Test
    void onlyAFailedClusterOfAKnownRolloutHasARecovery() {
        String fine = cluster("weaviate", "1.29.0", 3);
        String id = start(Map.of("product", "weaviate", "targetVersion", "1.30", "clusterIds", List.of(fine)));
        executor.answer(id, s -> Reply.SUCCEED);
        awaitEnded(id);

        recovery(id, fine).statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("SUCCEEDED")).body("detail", containsString("not FAILED"));
        recovery("no-such-rollout", fine).statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("no rollout 'no-such-rollout'"));
        recovery(id, "no-such-cluster").statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("no cluster 'no-such-cluster'"));

        // the rollout's own endpoints below /clusters/{clusterId} still answer
        given().when().post("/api/v1/rollouts/" + id + "/clusters/" + fine + "/approve").then().statusCode(409)
                .body("detail", containsString("approv"));
        given().when().post("/api/v1/rollouts/" + id + "/clusters/" + fine + "/retry").then().statusCode(409);
        given().when().get("/api/v1/rollouts/" + id + "/audit").then().statusCode(200);
    }

    /** The params of the first step of this kind the executor was asked to run in the rollout. */
    private static Map<String, Object> asked(String rolloutId, StepKind kind) {
        return executor.handled(rolloutId).stream().map(FakeExecutor.Handled::step).filter(s -> s.kind() == kind)
                .findFirst().orElseThrow().params();
    }

    private static String cluster(String product, String version, int nodes) {
        String id = "rec-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body(Map.of("id", id, "product", product, "version", version,
                        "nodes", nodes, "endpoint", "http://localhost:9/" + id))
                .when().post("/api/v1/clusters").then().statusCode(201);
        return id;
    }

    /** A rollout of the one cluster to the target whose step {@code fails} fails; answers when it has ended. */
    private static String failAt(String clusterId, String product, String target, Predicate<StepRequested> fails) {
        String id = start(Map.of("product", product, "targetVersion", target, "clusterIds", List.of(clusterId)));
        executor.answer(id, s -> fails.test(s) ? Reply.FAIL : Reply.SUCCEED);
        awaitEnded(id);
        assertThat(rollout(id).getString("clusters[0].state")).isEqualTo("FAILED");
        return id;
    }

    private static String start(Object body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/api/v1/rollouts")
                .then().statusCode(202).extract().path("id");
    }

    @SuppressWarnings("unchecked")
    private static String startOption(Map<String, Object> option) {
        Map<String, Object> start = (Map<String, Object>) option.get("start");
        assertThat(start).containsEntry("method", "POST").containsEntry("path", "/api/v1/rollouts")
                .containsEntry("note", null);
        return start(start.get("body"));
    }

    private static JsonPath runToTheEnd(String id) {
        executor.answer(id, s -> Reply.SUCCEED);
        awaitEnded(id);
        JsonPath done = rollout(id);
        assertThat(done.getString("state")).isEqualTo("SUCCEEDED");
        return done;
    }

    private static void awaitEnded(String id) {
        await().atMost(Duration.ofSeconds(60)).until(() -> List.of("SUCCEEDED", "FAILED", "CANCELLED")
                .contains(rollout(id).getString("state")));
    }

    private static JsonPath rollout(String id) {
        return given().when().get("/api/v1/rollouts/" + id).then().statusCode(200).extract().jsonPath();
    }

    private static io.restassured.response.ValidatableResponse recovery(String id, String clusterId) {
        return given().when().get("/api/v1/rollouts/" + id + "/clusters/" + clusterId + "/recovery").then();
    }

    private static Map<String, Object> option(JsonPath preview, String kind) {
        return preview.getMap("options.find { it.kind == '" + kind + "' }");
    }

    @SuppressWarnings("unchecked")
    private static List<String> kinds(Map<String, Object> option) {
        return ((List<Map<String, Object>>) option.get("steps")).stream().map(s -> (String) s.get("kind")).toList();
    }
}
