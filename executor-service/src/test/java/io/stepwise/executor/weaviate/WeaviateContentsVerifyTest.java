package io.stepwise.executor.weaviate;

import static io.restassured.RestAssured.given;
import static io.stepwise.executor.support.SimulatorResource.simulator;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stepwise.executor.support.LedgerRows;
import io.stepwise.executor.support.SimulatorResource;
import io.stepwise.executor.support.StepTopic;
import io.stepwise.executor.support.Steps;
import io.stepwise.executor.support.TestClusters;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import io.stepwise.model.StepState;
import io.stepwise.model.StepStatus;
import io.stepwise.simulator.ClusterInfo;
import io.stepwise.simulator.ClusterSpec;
import io.stepwise.simulator.fault.Fault;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * VERIFY after a hop compares each collection's object count with the count recorded before the rollout's first step
 * changed the cluster, and runs the sample query: steps sent through the real broker, counts kept in the real ledger,
 * objects lost through the simulator's admin API.
 */
@QuarkusTest
@QuarkusTestResource(SimulatorResource.class)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
class WeaviateContentsVerifyTest {

    private static StepTopic topic;

    @BeforeAll
    static void connect() {
        topic = new StepTopic();
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        topic.close();
    }

    private static ClusterInfo cluster(String id) {
        return simulator().createCluster(ClusterSpec.weaviate(id, "1.29.11", 3, "kubernetes")
                .withCollections(Map.of("Article", 1000L, "Author", 10L)));
    }

    private static StepStatus run(StepRequested step) {
        return Steps.run(topic, step);
    }

    private static StepStatus succeeded(StepRequested step) {
        StepStatus end = run(step);
        assertThat(end.state()).as("%s %s: %s", step.kind(), step.toVersion(), end.message())
                .isEqualTo(StepState.SUCCEEDED);
        return end;
    }

    /** BACKUP (which records the counts first), then the hop to 1.30.23. */
    private static void backupAndHop(TestClusters steps) {
        succeeded(steps.step(StepKind.BACKUP, null, Map.of("backupId", "before-" + steps.rolloutId())));
        succeeded(steps.step(StepKind.UPGRADE, "1.30.23"));
    }

    private static void lose(String clusterId, String collection, int objects) {
        given().contentType("application/json").body(Map.of("objects", objects))
                .post(simulator().baseUrl() + "/admin/clusters/" + clusterId + "/collections/" + collection + "/lose")
                .then().statusCode(200);
    }

    @Test
    void aHopThatLosesNothingPassesVerifyWithTheCounts() {
        TestClusters steps = TestClusters.of(cluster("contents-ok"));
        backupAndHop(steps);

        StepStatus verify = succeeded(steps.step(StepKind.VERIFY, "1.30.23"));

        assertThat(verify.message()).contains("all 3 nodes HEALTHY at 1.30.23")
                .contains("2 collections hold at least the 1010 objects counted before the upgrade")
                .contains("no sample query configured");
        assertThat(LedgerRows.query("select step_id, counts::text as counts from content_baseline where rollout_id = ?"
                + " and cluster_id = ?", steps.rolloutId(), "contents-ok")).singleElement().satisfies(row -> {
                    assertThat(row.get("step_id")).isEqualTo(steps.rolloutId() + "-contents-ok-1"); // the BACKUP
                    assertThat((String) row.get("counts")).contains("\"Article\": 1000").contains("\"Author\": 10");
                });
    }

    @Test
    void objectsLostAfterTheBackupFailVerifyWithTheNumbers() {
        TestClusters steps = TestClusters.of(cluster("contents-lost"));
        backupAndHop(steps);
        lose("contents-lost", "Article", 10);
        lose("contents-lost", "Author", 10);

        StepStatus verify = run(steps.step(StepKind.VERIFY, "1.30.23"));

        assertThat(verify.state()).isEqualTo(StepState.FAILED);
        assertThat(verify.message()).isEqualTo("objects lost on cluster contents-lost: collection Article has 990"
                + " objects, 1000 before the upgrade (10 lost); collection Author has 0 objects, 10 before the upgrade"
                + " (10 lost)");
        assertThat(simulator().violations("contents-lost")).isEmpty();
    }

    @Test
    void countsRecordedBeforeARestartAreTheOnesCompared() {
        ClusterInfo cluster = cluster("contents-restart");
        TestClusters steps = TestClusters.of(cluster);
        // An executor recorded the counts at the rollout's BACKUP and stopped: its row is all that is left of it.
        LedgerRows.update("insert into content_baseline (rollout_id, cluster_id, step_id, item_kind, unit, counts,"
                + " not_counted, recorded_at) values (?, ?, ?, 'collection', 'objects', cast(? as jsonb), '{}', ?)",
                steps.rolloutId(), cluster.id(), steps.rolloutId() + "-contents-restart-1",
                "{\"Article\": 1000, \"Author\": 10}", Timestamp.from(Instant.now()));
        lose("contents-restart", "Article", 1);
        // This executor runs the BACKUP again (its previous run's end was never reported): the counts recorded stay,
        // though the cluster changed since.
        backupAndHop(steps);

        StepStatus verify = run(steps.step(StepKind.VERIFY, "1.30.23"));

        assertThat(verify.state()).isEqualTo(StepState.FAILED);
        assertThat(verify.message()).contains("collection Article has 999 objects, 1000 before the upgrade (1 lost)");
        assertThat(LedgerRows.query("select counts::text as counts from content_baseline where rollout_id = ?",
                steps.rolloutId())).singleElement().satisfies(row ->
                assertThat((String) row.get("counts")).contains("\"Article\": 1000"));
    }

    @Test
    void aFailingSampleQueryFailsVerifyWithItsError() {
        ClusterInfo cluster = cluster("contents-query");
        TestClusters steps = TestClusters.of(cluster).withExtra(Map.of("sampleQuery",
                "{ Get { Articles(limit: 3) { title } } }"));
        backupAndHop(steps);

        StepStatus verify = run(steps.step(StepKind.VERIFY, "1.30.23"));

        assertThat(verify.state()).isEqualTo(StepState.FAILED);
        assertThat(verify.message()).isEqualTo("the sample query failed on cluster contents-query: Cannot query field"
                + " \"Articles\" on type \"GetObjectsObj\". (line 1, column 9)");
    }

    @Test
    void aSampleQueryMustFindObjectsWhenItAsksForThem() {
        ClusterInfo cluster = cluster("contents-sample");
        TestClusters good = TestClusters.of(cluster).withExtra(Map.of("sampleQuery",
                "{ Get { Article(limit: 3) { title _additional { id } } } }"));
        backupAndHop(good);
        assertThat(succeeded(good.step(StepKind.VERIFY, "1.30.23")).message())
                .contains("sample query found 3 Article");

        lose("contents-sample", "Author", 10); // a count of 0 is a loss too, but the query's own failure comes first here
        TestClusters empty = TestClusters.of(cluster).withExtra(Map.of("sampleQuery", "{ Get { Author { name } } }"));
        succeeded(empty.step(StepKind.SYNC_CHECK, null, Map.of("expectedNodes", 3))); // its rollout's counts: Author 0
        StepStatus verify = run(empty.step(StepKind.VERIFY, "1.30.23"));
        assertThat(verify.state()).isEqualTo(StepState.FAILED);
        assertThat(verify.message()).isEqualTo("the sample query found no objects on cluster contents-sample: Author"
                + " answered none");
    }

    @Test
    void aClusterThatCannotBeCountedFailsTheFirstStepWithNothingChanged() {
        ClusterInfo cluster = cluster("contents-uncountable");
        // one refusal, on the first call: GET /v1/schema, asked before the backup
        simulator().injectFault(Fault.apiError("contents-uncountable", 422).times(1));
        TestClusters steps = TestClusters.of(cluster);

        StepStatus backup = run(steps.step(StepKind.BACKUP, null, Map.of("backupId", "never")));

        assertThat(backup.state()).isEqualTo(StepState.FAILED);
        assertThat(backup.message()).startsWith("could not count what cluster contents-uncountable holds before"
                + " the rollout changes it: ").contains("GET /v1/schema").endsWith("; nothing was changed");
        assertThat(simulator().weaviate("contents-uncountable").backups()).isEmpty();
        assertThat(LedgerRows.query("select 1 from content_baseline where rollout_id = ?", steps.rolloutId()))
                .isEmpty();
    }
}
