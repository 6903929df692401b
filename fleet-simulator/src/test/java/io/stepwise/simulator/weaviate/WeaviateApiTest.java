package io.stepwise.simulator.weaviate;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.stepwise.simulator.ClusterSpec;
import io.stepwise.simulator.FleetSimulator;
import io.stepwise.simulator.ManualClock;
import io.stepwise.simulator.SimulatorSettings;
import io.stepwise.simulator.ledger.EffectType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;

class WeaviateApiTest {

    static FleetSimulator sim;

    @BeforeAll
    static void start() {
        sim = FleetSimulator.start(0, SimulatorSettings.instant().withKubernetes(false)
                .withBackupDuration(Duration.ofMillis(300)));
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static String create(String id, String version, int nodes) {
        return sim.createCluster(ClusterSpec.weaviate(id, version, nodes, "docker")
                .withCollections(Map.of("Article", 1000L, "Author", 10L))).endpoint();
    }

    @Test
    void metaShowsTheVersionWithoutGrpcSizeOn125() {
        String endpoint = create("meta-125", "1.25.34", 1);
        given().get(endpoint + "/v1/meta").then().statusCode(200)
                .body("version", equalTo("1.25.34"))
                .body("hostname", equalTo("http://[::]:8080"))
                .body("$", not(hasKey("grpcMaxMessageSize")));
    }

    @Test
    void nodesListEveryNodeWithShardsOnlyWhenVerbose() {
        String endpoint = create("nodes-3", "1.30.23", 3);
        given().get(endpoint + "/v1/nodes").then().statusCode(200)
                .body("nodes", hasSize(3))
                .body("nodes.name", equalTo(List.of("weaviate-0", "weaviate-1", "weaviate-2")))
                .body("nodes.status", equalTo(List.of("HEALTHY", "HEALTHY", "HEALTHY")))
                .body("nodes[0]", not(hasKey("shards")));
        Response verbose = given().queryParam("output", "verbose").get(endpoint + "/v1/nodes");
        List<Integer> counts = verbose.path("nodes.collect { it.shards.findAll { s -> s['class'] == 'Article' }.sum { s -> s.objectCount } }");
        assertThat(counts.stream().mapToInt(Integer::intValue).sum()).isEqualTo(1000);
        assertThat(verbose.<Boolean>path("nodes[0].shards[0].compressed")).isFalse(); // x-omitempty: false
    }

    @Test
    void statisticsExistFrom125AndClusterStatusBefore() {
        String old = create("stats-124", "1.24.26", 3);
        given().get(old + "/v1/cluster/statistics").then().statusCode(404);
        given().get(old + "/v1/schema/cluster-status").then().statusCode(200)
                .body("healthy", equalTo(true)).body("nodeCount", equalTo(3)).body("ignoreSchemaSync", equalTo(false));

        String raft = create("stats-125", "1.25.34", 2); // below 3 replicas helm makes one voter
        given().get(raft + "/v1/schema/cluster-status").then().statusCode(404);
        given().get(raft + "/v1/cluster/statistics").then().statusCode(200)
                .body("synchronized", equalTo(true))
                .body("statistics", hasSize(2))
                .body("statistics[0].raft.appliedIndex", equalTo(String.valueOf(sim.weaviate("stats-125").raftIndex())))
                .body("statistics[0].isVoter", equalTo(true))
                .body("statistics[1]", not(hasKey("isVoter"))); // false is omitted
    }

    @Test
    void synchronizedIsFalseWhileANodeRestartsAndUntilItsRaftLogCatchesUp() {
        ManualClock clock = new ManualClock();
        try (FleetSimulator frozen = FleetSimulator.start(0, SimulatorSettings.instant().withKubernetes(false)
                .withClock(clock).withNodeRestartDuration(Duration.ofSeconds(10)).withSyncDuration(Duration.ofSeconds(5)))) {
            String endpoint = frozen.createCluster(ClusterSpec.weaviate("sync", "1.25.34", 3, "docker")).endpoint();
            frozen.setVersion("sync", "1.26.18", "step-1");
            given().get(endpoint + "/v1/cluster/statistics").then().statusCode(200)
                    .body("synchronized", equalTo(false))
                    .body("statistics.find { it.name == 'weaviate-2' }.status", equalTo("UNAVAILABLE"))
                    .body("statistics.find { it.name == 'weaviate-2' }", not(hasKey("raft")));
            given().get(endpoint + "/v1/.well-known/ready").then().statusCode(200); // 2 of 3 is a quorum

            clock.advance(Duration.ofSeconds(30)); // all three restarted; the last one still catching up
            given().get(endpoint + "/v1/cluster/statistics").then()
                    .body("statistics.status", equalTo(List.of("HEALTHY", "HEALTHY", "HEALTHY")))
                    .body("synchronized", equalTo(false));

            clock.advance(Duration.ofSeconds(5));
            given().get(endpoint + "/v1/cluster/statistics").then().body("synchronized", equalTo(true));
            assertThat(frozen.weaviate("sync").allNodesOn("1.26.18")).isTrue();
            assertThat(frozen.effects("sync")).filteredOn(e -> e.type() == EffectType.VERSION_CHANGED)
                    .extracting(e -> e.details().get("node"))
                    .containsExactly("weaviate-2", "weaviate-1", "weaviate-0");
        }
    }

    @Test
    void resendingTheVersionARollIsMovingToChangesNothing() {
        ManualClock clock = new ManualClock();
        try (FleetSimulator frozen = FleetSimulator.start(0, SimulatorSettings.instant().withKubernetes(false)
                .withClock(clock).withNodeRestartDuration(Duration.ofSeconds(10)))) {
            frozen.createCluster(ClusterSpec.weaviate("resend", "1.30.23", 3, "docker"));
            frozen.setVersion("resend", "1.31.22", "step-1");
            frozen.setVersion("resend", "1.31.22", "step-1"); // the same request again, as a retry sends it
            assertThat(frozen.weaviate("resend").nodes()).extracting(WeaviateSnapshot.Node::status)
                    .as("still one node down at a time").containsExactly("HEALTHY", "HEALTHY", "UNAVAILABLE");
            clock.advance(Duration.ofSeconds(30));
            assertThat(frozen.weaviate("resend").allNodesOn("1.31.22")).isTrue();
            assertThat(frozen.effects("resend")).filteredOn(e -> e.type() == EffectType.IMAGE_CHANGED).hasSize(1);
        }
    }

    @Test
    void singleNodeIsNotReadyWhileItRestarts() {
        ManualClock clock = new ManualClock();
        try (FleetSimulator frozen = FleetSimulator.start(0, SimulatorSettings.instant().withKubernetes(false)
                .withClock(clock).withNodeRestartDuration(Duration.ofSeconds(10)))) {
            String endpoint = frozen.createCluster(ClusterSpec.weaviate("single", "1.30.23", 1, "docker")).endpoint();
            frozen.setVersion("single", "1.31.22", null);
            given().get(endpoint + "/v1/.well-known/ready").then().statusCode(503);
            clock.advance(Duration.ofSeconds(10));
            given().get(endpoint + "/v1/.well-known/ready").then().statusCode(200);
            given().get(endpoint + "/v1/meta").then().body("version", equalTo("1.31.22"));
        }
    }

    @Test
    void backupMovesToSuccessAndIsRecorded() {
        String endpoint = create("backup-ok", "1.26.18", 1);
        given().header("X-Stepwise-Step-Id", "step-b1").contentType("application/json")
                .body("{\"id\":\"pre-upgrade-1\"}")
                .post(endpoint + "/v1/backups/filesystem").then().statusCode(200)
                .body("status", equalTo("STARTED"))
                .body("classes", equalTo(List.of("Article", "Author")))
                .body("$", not(hasKey("error")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get(endpoint + "/v1/backups/filesystem/pre-upgrade-1").then().statusCode(200)
                        .body("status", equalTo("SUCCESS")));
        assertThat(sim.effects("backup-ok")).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(EffectType.BACKUP_CREATED);
            assertThat(e.stepId()).isEqualTo("step-b1");
            assertThat(e.details()).containsEntry("backupId", "pre-upgrade-1");
        });
    }

    @Test
    void backupErrorsAreTheRealOnes() {
        String endpoint = create("backup-errors", "1.26.18", 3);
        given().contentType("application/json").body("{\"id\":\"Bad Id\"}")
                .post(endpoint + "/v1/backups/s3").then().statusCode(422)
                .body("error[0].message", equalTo("invalid backup id: allowed characters are lowercase, 0-9, _, -"));
        given().contentType("application/json").body("{\"id\":\"ok\"}")
                .post(endpoint + "/v1/backups/filesystem").then().statusCode(422)
                .body("error[0].message", equalTo(
                        "local filesystem backend is not viable for backing up a node cluster, try s3 or gcs"));
        given().get(endpoint + "/v1/backups/s3/never-taken").then().statusCode(404)
                .body("error[0].message", org.hamcrest.Matchers.startsWith("backup id \"never-taken\" does not exist"));
        given().get(endpoint + "/v1/backups/s3/never-taken/restore").then().statusCode(404);
    }

    @Test
    void backupCancelExistsFrom1265() {
        ManualClock clock = new ManualClock();
        try (FleetSimulator frozen = FleetSimulator.start(0, SimulatorSettings.instant().withKubernetes(false)
                .withClock(clock).withBackupDuration(Duration.ofSeconds(10)))) {
            String old = frozen.createCluster(ClusterSpec.weaviate("cancel-old", "1.26.4", 1, "docker")).endpoint();
            given().contentType("application/json").body("{\"id\":\"b\"}").post(old + "/v1/backups/s3").then().statusCode(200);
            given().delete(old + "/v1/backups/s3/b").then().statusCode(405);
            given().get(old + "/v1/backups/s3").then().statusCode(405); // no listing before 1.26.5 either

            String now = frozen.createCluster(ClusterSpec.weaviate("cancel-new", "1.26.5", 1, "docker")).endpoint();
            given().contentType("application/json").body("{\"id\":\"b\"}").post(now + "/v1/backups/s3").then().statusCode(200);
            given().header("X-Stepwise-Step-Id", "step-cancel").delete(now + "/v1/backups/s3/b").then().statusCode(204);
            given().get(now + "/v1/backups/s3/b").then().body("status", equalTo("CANCELED"));
            given().get(now + "/v1/backups/s3").then().statusCode(200).body("id", equalTo(List.of("b")));
            assertThat(frozen.effects("cancel-new")).extracting(e -> e.type()).contains(EffectType.BACKUP_CANCELED);
        }
    }

    @Test
    void backupStatusWalksThePhasesAndFinalizingOnlyFrom136() {
        ManualClock clock = new ManualClock();
        try (FleetSimulator frozen = FleetSimulator.start(0, SimulatorSettings.instant().withKubernetes(false)
                .withClock(clock).withBackupDuration(Duration.ofSeconds(40)))) {
            String v135 = frozen.createCluster(ClusterSpec.weaviate("phases-135", "1.35.23", 1, "docker")).endpoint();
            String v136 = frozen.createCluster(ClusterSpec.weaviate("phases-136", "1.36.23", 1, "docker")).endpoint();
            for (String endpoint : List.of(v135, v136)) {
                given().contentType("application/json").body("{\"id\":\"b\"}").post(endpoint + "/v1/backups/gcs")
                        .then().statusCode(200);
            }
            List<String> seen135 = new java.util.ArrayList<>();
            List<String> seen136 = new java.util.ArrayList<>();
            for (int step = 0; step < 5; step++) {
                seen135.add(given().get(v135 + "/v1/backups/gcs/b").path("status"));
                seen136.add(given().get(v136 + "/v1/backups/gcs/b").path("status"));
                clock.advance(Duration.ofSeconds(10));
            }
            assertThat(seen135).containsExactly("STARTED", "TRANSFERRING", "TRANSFERRED", "TRANSFERRED", "SUCCESS");
            assertThat(seen136).containsExactly("STARTED", "TRANSFERRING", "TRANSFERRED", "FINALIZING", "SUCCESS");
        }
    }

    @Test
    void apiKeyIsRequiredExceptForProbes() {
        String endpoint = sim.createCluster(ClusterSpec.weaviate("secured", "1.30.23", 1, "docker")
                .withApiKey("s3cret")).endpoint();
        given().get(endpoint + "/v1/meta").then().statusCode(401);
        given().header("Authorization", "Bearer wrong").get(endpoint + "/v1/meta").then().statusCode(401);
        given().header("Authorization", "Bearer s3cret").get(endpoint + "/v1/meta").then().statusCode(200)
                .body("grpcMaxMessageSize", equalTo(104857600));
        given().get(endpoint + "/v1/.well-known/ready").then().statusCode(200);
    }

    @Test
    void unknownClusterAndPathAre404() {
        given().get(sim.baseUrl() + "/clusters/nope/v1/meta").then().statusCode(404)
                .body("error[0].message", equalTo("no simulated cluster nope"));
        String endpoint = create("paths", "1.30.23", 1);
        given().get(endpoint + "/v1/nothing-here").then().statusCode(404);
    }

    private static io.restassured.response.ValidatableResponse graphql(String endpoint, String query) {
        return given().contentType("application/json").body(Map.of("query", query))
                .post(endpoint + "/v1/graphql").then().statusCode(200);
    }

    @Test
    void graphqlCountsEveryCollectionAndAnswersGetQueries() {
        String endpoint = create("graphql", "1.30.23", 3);
        graphql(endpoint, "{ Aggregate { Article { meta { count } } Author { meta { count } } } }")
                .body("data.Aggregate.Article[0].meta.count", equalTo(1000))
                .body("data.Aggregate.Author[0].meta.count", equalTo(10))
                .body("$", not(hasKey("errors")));
        graphql(endpoint, "query Sample {\n  Get { Article(limit: 3) { title _additional { id } } }\n}")
                .body("data.Get.Article", hasSize(3))
                .body("data.Get.Article[0].title", not(org.hamcrest.Matchers.emptyOrNullString()))
                .body("data.Get.Article[0]._additional.id", not(org.hamcrest.Matchers.emptyOrNullString()));
        graphql(endpoint, "{ Get { Author { name } } }").body("data.Get.Author", hasSize(10)); // the default limit
    }

    @Test
    void graphqlErrorsComeInA200AsWeaviatesDo() {
        String endpoint = create("graphql-errors", "1.30.23", 1);
        graphql(endpoint, "{ Get { Nope { title } } }")
                .body("$", not(hasKey("data")))
                .body("errors[0].message", equalTo("Cannot query field \"Nope\" on type \"GetObjectsObj\"."))
                .body("errors[0].locations[0].line", equalTo(1));
        graphql(endpoint, "{ Aggregate { Article { meta { count } }")
                .body("errors[0].message", org.hamcrest.Matchers.startsWith("Syntax Error GraphQL request (1:"));
        given().contentType("application/json").body("{}").post(endpoint + "/v1/graphql").then().statusCode(422);
    }

    @Test
    void lostObjectsStayLostThroughAnUpgradeAndComeBackWithARestore() {
        ManualClock clock = new ManualClock();
        try (FleetSimulator frozen = FleetSimulator.start(0, SimulatorSettings.instant().withKubernetes(false)
                .withClock(clock).withBackupDuration(Duration.ofSeconds(10)))) {
            String endpoint = frozen.createCluster(ClusterSpec.weaviate("lossy", "1.29.11", 1, "docker")
                    .withCollections(Map.of("Article", 1000L))).endpoint();
            given().contentType("application/json").body("{\"id\":\"before\"}").post(endpoint + "/v1/backups/s3")
                    .then().statusCode(200);
            clock.advance(Duration.ofSeconds(10));

            assertThat(frozen.loseObjects("lossy", "Article", 10, "step-x")).isEqualTo(990);
            frozen.setVersion("lossy", "1.30.23", "step-up");
            clock.advance(Duration.ofSeconds(1));
            graphql(endpoint, "{ Aggregate { Article { meta { count } } } }")
                    .body("data.Aggregate.Article[0].meta.count", equalTo(990));
            assertThat(frozen.effects("lossy")).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo(EffectType.OBJECTS_LOST);
                assertThat(e.details()).containsEntry("collection", "Article").containsEntry("after", 990L);
            });

            given().delete(endpoint + "/v1/schema/Article").then().statusCode(200);
            given().contentType("application/json").body("{}").post(endpoint + "/v1/backups/s3/before/restore")
                    .then().statusCode(200);
            clock.advance(Duration.ofSeconds(10));
            graphql(endpoint, "{ Aggregate { Article { meta { count } } } }")
                    .body("data.Aggregate.Article[0].meta.count", equalTo(1000));
            assertThat(frozen.violations()).isEmpty();
        }
    }
}
