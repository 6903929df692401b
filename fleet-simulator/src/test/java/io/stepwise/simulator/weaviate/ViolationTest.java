package io.stepwise.simulator.weaviate;

import io.stepwise.simulator.ClusterSpec;
import io.stepwise.simulator.FleetSimulator;
import io.stepwise.simulator.SimulatorSettings;
import io.stepwise.simulator.fault.Fault;
import io.stepwise.simulator.fault.FaultType;
import io.stepwise.simulator.ledger.Violation;
import io.stepwise.simulator.ledger.ViolationRule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** Each vendor rule broken once, and kept once: the violation appears only in the first case. */
class ViolationTest {

    static FleetSimulator sim;

    @BeforeAll
    static void start() {
        sim = FleetSimulator.start(0, SimulatorSettings.instant().withKubernetes(false));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static String docker(String id, String version, int nodes) {
        return sim.createCluster(ClusterSpec.weaviate(id, version, nodes, "docker")
                .withCollections(Map.of("Article", 1000L))).endpoint();
    }

    private static List<ViolationRule> rules(String clusterId) {
        return sim.violations(clusterId).stream().map(Violation::rule).toList();
    }

    private static void backup(String endpoint, String id) {
        given().contentType("application/json").body("{\"id\":\"" + id + "\"}")
                .post(endpoint + "/v1/backups/s3").then().statusCode(200);
        given().get(endpoint + "/v1/backups/s3/" + id).then().body("status", equalTo("SUCCESS"));
    }

    @Test
    void skippingAMinorUpOrDownIsAViolation() {
        docker("skip-up", "1.24.26", 1);
        sim.setVersion("skip-up", "1.26.18", "step-skip");
        assertThat(sim.violations("skip-up")).singleElement().satisfies(v -> {
            assertThat(v.rule()).isEqualTo(ViolationRule.SKIPPED_MINOR);
            assertThat(v.stepId()).isEqualTo("step-skip");
            assertThat(v.message()).contains("1.24.26 -> 1.26.18");
        });

        docker("skip-down", "1.30.23", 1);
        sim.setVersion("skip-down", "1.28.16", null);
        assertThat(rules("skip-down")).containsExactly(ViolationRule.SKIPPED_MINOR);

        docker("one-minor", "1.29.11", 1);
        sim.setVersion("one-minor", "1.30.23", null);
        sim.setVersion("one-minor", "1.30.23", null); // same tag twice is a no-op
        assertThat(rules("one-minor")).isEmpty();
    }

    @Test
    void hopInto126WhileUnsynchronizedIsAViolation() {
        docker("unsynced", "1.25.34", 3);
        sim.injectFault(Fault.of("unsynced", FaultType.SYNC_NEVER_CONVERGES));
        sim.setVersion("unsynced", "1.26.18", "step-unsynced");
        assertThat(rules("unsynced")).containsExactly(ViolationRule.HOP_WHILE_UNSYNCHRONIZED);

        docker("synced", "1.25.34", 3);
        sim.setVersion("synced", "1.26.18", null);
        assertThat(rules("synced")).isEmpty();
    }

    @Test
    void multiNodeDowngradeBelow12726FromAnAffectedVersionNeverGetsReady() {
        String endpoint = docker("trap", "1.28.16", 3);
        sim.setVersion("trap", "1.27.20", "step-trap");
        assertThat(rules("trap")).containsExactly(ViolationRule.RAFT_SNAPSHOT_DOWNGRADE);
        WeaviateSnapshot state = sim.weaviate("trap");
        assertThat(state.node("weaviate-2").status()).isEqualTo("UNAVAILABLE");
        assertThat(state.rolling()).isTrue();
        given().get(endpoint + "/v1/nodes").then().body("nodes.find { it.name == 'weaviate-1' }.version",
                equalTo("1.28.16"));

        docker("trap-safe", "1.28.16", 3);
        sim.setVersion("trap-safe", "1.27.27", null);
        assertThat(rules("trap-safe")).isEmpty();
        assertThat(sim.weaviate("trap-safe").allNodesOn("1.27.27")).isTrue();

        docker("trap-single", "1.28.16", 1); // one node has no Raft peers to disagree with
        sim.setVersion("trap-single", "1.27.20", null);
        assertThat(rules("trap-single")).isEmpty();
    }

    @Test
    void downgradeBelow125NeedsSchemaV1First() {
        docker("no-schema-v1", "1.25.34", 1);
        sim.setVersion("no-schema-v1", "1.24.26", "step-down");
        assertThat(rules("no-schema-v1")).containsExactly(ViolationRule.DOWNGRADE_WITHOUT_SCHEMA_V1);
        assertThat(sim.weaviate("no-schema-v1").dataCorrupted()).isTrue();

        String endpoint = docker("schema-v1", "1.25.34", 1);
        given().header("X-Stepwise-Step-Id", "step-v1").post(endpoint + "/v1/cluster/schema-v1").then().statusCode(200);
        sim.setVersion("schema-v1", "1.24.26", null);
        assertThat(rules("schema-v1")).isEmpty();
        assertThat(sim.weaviate("schema-v1").dataCorrupted()).isFalse();
    }

    @Test
    void schemaV1ExistsOnlyFrom125To134() {
        given().post(docker("v1-124", "1.24.26", 1) + "/v1/cluster/schema-v1").then().statusCode(404);
        given().post(docker("v1-134", "1.34.20", 1) + "/v1/cluster/schema-v1").then().statusCode(200);
        given().post(docker("v1-135", "1.35.23", 1) + "/v1/cluster/schema-v1").then().statusCode(404);
    }

    @Test
    void restoreOntoExistingCollectionsFailsLikeWeaviate() {
        String endpoint = docker("restore-existing", "1.26.18", 1);
        backup(endpoint, "b1");
        given().header("X-Stepwise-Step-Id", "step-restore").contentType("application/json").body("{}")
                .post(endpoint + "/v1/backups/s3/b1/restore").then().statusCode(200).body("status", equalTo("STARTED"));
        given().get(endpoint + "/v1/backups/s3/b1/restore").then().statusCode(200)
                .body("status", equalTo("FAILED"))
                .body("error", equalTo("restore class Article: already exists"));
        assertThat(sim.violations("restore-existing")).singleElement().satisfies(v -> {
            assertThat(v.rule()).isEqualTo(ViolationRule.RESTORE_ONTO_EXISTING_COLLECTIONS);
            assertThat(v.stepId()).isEqualTo("step-restore");
        });
    }

    @Test
    void restoreAfterDeletingTheCollectionBringsTheObjectsBack() {
        String endpoint = docker("restore-ok", "1.26.18", 1);
        backup(endpoint, "b1");
        given().delete(endpoint + "/v1/schema/Article").then().statusCode(200);
        assertThat(sim.weaviate("restore-ok").collections()).isEmpty();
        given().contentType("application/json").body("{}").post(endpoint + "/v1/backups/s3/b1/restore")
                .then().statusCode(200);
        given().get(endpoint + "/v1/backups/s3/b1/restore").then().body("status", equalTo("SUCCESS"));
        assertThat(sim.weaviate("restore-ok").collections()).containsEntry("Article", 1000L);
        assertThat(rules("restore-ok")).isEmpty();
    }

    @Test
    void restoreBelow12313CorruptsData() {
        String endpoint = docker("restore-buggy", "1.23.10", 1);
        backup(endpoint, "b1");
        given().delete(endpoint + "/v1/schema/Article").then().statusCode(200);
        given().contentType("application/json").body("{}").post(endpoint + "/v1/backups/s3/b1/restore")
                .then().statusCode(200);
        assertThat(rules("restore-buggy")).containsExactly(ViolationRule.RESTORE_BELOW_1_23_13);
        assertThat(sim.weaviate("restore-buggy").dataCorrupted()).isTrue();
    }

    @Test
    void backupFromBefore123IsRefusedOn139() {
        String endpoint = docker("legacy", "1.22.13", 1);
        backup(endpoint, "old");
        for (String v : List.of("1.23.16", "1.24.26", "1.25.34", "1.26.18", "1.27.27", "1.28.16", "1.29.11",
                "1.30.23", "1.31.22", "1.32.27", "1.33.18", "1.34.20", "1.35.23", "1.36.23", "1.37.14", "1.38.11",
                "1.39.0")) {
            sim.setVersion("legacy", v, null);
        }
        given().delete(endpoint + "/v1/schema/Article").then().statusCode(200);
        given().contentType("application/json").body("{}").post(endpoint + "/v1/backups/s3/old/restore")
                .then().statusCode(422)
                .body("error[0].message", org.hamcrest.Matchers.containsString(
                        "restore it on a release that still supports it and create a new backup"));
        assertThat(rules("legacy")).containsExactly(ViolationRule.LEGACY_BACKUP_RESTORE);
    }
}
