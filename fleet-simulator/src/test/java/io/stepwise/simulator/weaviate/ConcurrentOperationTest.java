package io.stepwise.simulator.weaviate;

import io.stepwise.simulator.ClusterSpec;
import io.stepwise.simulator.FleetSimulator;
import io.stepwise.simulator.ManualClock;
import io.stepwise.simulator.SimulatorSettings;
import io.stepwise.simulator.ledger.Violation;
import io.stepwise.simulator.ledger.ViolationRule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Two mutating operations on one cluster at once break CONCURRENT_OPERATION; the same operation sent again, and
 * operations one after another, do not. The clock stands still unless a test moves it, so a backup or a roll stays
 * in progress for as long as the test needs.
 */
class ConcurrentOperationTest {

    static final Duration BACKUP = Duration.ofSeconds(10);
    static final Duration RESTART = Duration.ofSeconds(10);
    static final ManualClock clock = new ManualClock();
    static FleetSimulator sim;

    @BeforeAll
    static void start() {
        sim = FleetSimulator.start(0, SimulatorSettings.instant().withKubernetes(false).withClock(clock)
                .withBackupDuration(BACKUP).withNodeRestartDuration(RESTART));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static String docker(String id, String version) {
        return sim.createCluster(ClusterSpec.weaviate(id, version, 3, "docker")
                .withCollections(Map.of("Article", 1000L))).endpoint();
    }

    private static void backup(String endpoint, String id, String stepId) {
        given().header("X-Stepwise-Step-Id", stepId).contentType("application/json").body("{\"id\":\"" + id + "\"}")
                .post(endpoint + "/v1/backups/s3").then().statusCode(200);
    }

    private static void restore(String endpoint, String id, String stepId) {
        given().header("X-Stepwise-Step-Id", stepId).contentType("application/json").body("{}")
                .post(endpoint + "/v1/backups/s3/" + id + "/restore").then().statusCode(200);
    }

    private static void deleteArticle(String endpoint, String stepId) {
        given().header("X-Stepwise-Step-Id", stepId).delete(endpoint + "/v1/schema/Article").then().statusCode(200);
    }

    private static List<ViolationRule> rules(String clusterId) {
        return sim.violations(clusterId).stream().map(Violation::rule).toList();
    }

    /** The one violation of the cluster: CONCURRENT_OPERATION of {@code stepId}, naming both operations. */
    private static void oneOverlap(String clusterId, String stepId, String began, String running) {
        assertThat(sim.violations(clusterId)).singleElement().satisfies(v -> {
            assertThat(v.rule()).isEqualTo(ViolationRule.CONCURRENT_OPERATION);
            assertThat(v.stepId()).isEqualTo(stepId);
            assertThat(v.message()).contains(began + " (step " + stepId + ") began while " + running)
                    .endsWith("had not ended");
        });
    }

    @Test
    void aVersionChangeWhileABackupRunsOverlaps() {
        String endpoint = docker("c-backup-hop", "1.30.23");
        backup(endpoint, "b1", "step-backup");
        sim.setVersion("c-backup-hop", "1.31.22", "step-hop");
        oneOverlap("c-backup-hop", "step-hop", "version change 1.30.23 -> 1.31.22", "backup s3/b1 (step step-backup)");
    }

    @Test
    void aBackupWhileARollRunsOverlaps() {
        String endpoint = docker("c-hop-backup", "1.30.23");
        sim.setVersion("c-hop-backup", "1.31.22", "step-hop");
        clock.advance(RESTART); // two of three nodes on 1.31.22: the roll has not ended
        backup(endpoint, "b1", "step-backup");
        oneOverlap("c-hop-backup", "step-backup", "backup s3/b1",
                "version change 1.30.23 -> 1.31.22 (step step-hop)");
    }

    @Test
    void aRollThatNeverGetsReadyNeverEnds() {
        String endpoint = docker("c-stuck", "1.28.16");
        sim.setVersion("c-stuck", "1.27.20", "step-trap"); // the Raft snapshot trap: the first node never gets ready
        clock.advance(Duration.ofHours(1));
        backup(endpoint, "b1", "step-backup");
        assertThat(rules("c-stuck"))
                .containsExactly(ViolationRule.RAFT_SNAPSHOT_DOWNGRADE, ViolationRule.CONCURRENT_OPERATION);
    }

    @Test
    void anotherVersionWhileARollRunsOverlaps() {
        docker("c-hop-back", "1.30.23");
        sim.setVersion("c-hop-back", "1.31.22", "step-hop");
        sim.setVersion("c-hop-back", "1.30.23", "step-back"); // rolled back before the roll ended
        oneOverlap("c-hop-back", "step-back", "version change 1.31.22 -> 1.30.23",
                "version change 1.30.23 -> 1.31.22 (step step-hop)");
    }

    @Test
    void aRestoreAndARollOverlapEitherWay() {
        String endpoint = docker("c-restore-hop", "1.30.23");
        backup(endpoint, "b1", "step-backup");
        clock.advance(BACKUP);
        deleteArticle(endpoint, "step-restore");
        restore(endpoint, "b1", "step-restore");
        sim.setVersion("c-restore-hop", "1.31.22", "step-hop");
        oneOverlap("c-restore-hop", "step-hop", "version change 1.30.23 -> 1.31.22",
                "restore of s3/b1 (step step-restore)");

        String other = docker("c-hop-restore", "1.30.23");
        backup(other, "b1", "step-backup");
        clock.advance(BACKUP);
        deleteArticle(other, "step-restore");
        sim.setVersion("c-hop-restore", "1.31.22", "step-hop");
        restore(other, "b1", "step-restore");
        oneOverlap("c-hop-restore", "step-restore", "restore of s3/b1",
                "version change 1.30.23 -> 1.31.22 (step step-hop)");
    }

    @Test
    void schemaV1AndDeletingACollectionWhileABackupRunsOverlap() {
        String endpoint = docker("c-backup-v1", "1.25.34");
        backup(endpoint, "b1", "step-backup");
        given().header("X-Stepwise-Step-Id", "step-v1").post(endpoint + "/v1/cluster/schema-v1").then().statusCode(200);
        deleteArticle(endpoint, "step-delete");
        assertThat(sim.violations("c-backup-v1")).extracting(Violation::rule, Violation::stepId).containsExactly(
                org.assertj.core.groups.Tuple.tuple(ViolationRule.CONCURRENT_OPERATION, "step-v1"),
                org.assertj.core.groups.Tuple.tuple(ViolationRule.CONCURRENT_OPERATION, "step-delete"));
        assertThat(sim.violations("c-backup-v1")).allSatisfy(v ->
                assertThat(v.message()).contains("began while backup s3/b1 (step step-backup) had not ended"));
    }

    @Test
    void twoBackupsAtOnceOverlap() {
        String endpoint = docker("c-backup-backup", "1.30.23");
        backup(endpoint, "b1", "step-backup-1");
        backup(endpoint, "b2", "step-backup-2");
        oneOverlap("c-backup-backup", "step-backup-2", "backup s3/b2", "backup s3/b1 (step step-backup-1)");
    }

    @Test
    void theSameVersionAgainWhileItRollsIsNoSecondOperation() {
        docker("c-hop-again", "1.30.23");
        sim.setVersion("c-hop-again", "1.31.22", "step-hop");
        clock.advance(RESTART);
        sim.setVersion("c-hop-again", "1.31.22", "step-hop"); // a retried step sends it again
        clock.advance(RESTART.multipliedBy(2));
        assertThat(sim.weaviate("c-hop-again").allNodesOn("1.31.22")).isTrue();
        assertThat(rules("c-hop-again")).isEmpty();
    }

    @Test
    void theSameBackupIdAgainIsNoSecondOperation() {
        String endpoint = docker("c-backup-again", "1.30.23");
        backup(endpoint, "b1", "step-backup");
        given().header("X-Stepwise-Step-Id", "step-backup").contentType("application/json").body("{\"id\":\"b1\"}")
                .post(endpoint + "/v1/backups/s3").then().statusCode(422)
                .body("error[0].message", containsString("already exists"));
        assertThat(rules("c-backup-again")).isEmpty();
    }

    @Test
    void operationsOneAfterAnotherDoNotOverlap() {
        String endpoint = docker("c-in-turn", "1.30.23");
        backup(endpoint, "b1", "step-backup");
        clock.advance(BACKUP); // SUCCESS
        sim.setVersion("c-in-turn", "1.31.22", "step-hop");
        clock.advance(RESTART.multipliedBy(3)); // every node on 1.31.22
        deleteArticle(endpoint, "step-restore");
        restore(endpoint, "b1", "step-restore");
        clock.advance(BACKUP);
        given().get(endpoint + "/v1/backups/s3/b1/restore").then().body("status", equalTo("SUCCESS"));
        backup(endpoint, "b2", "step-backup-2");
        clock.advance(BACKUP);
        sim.setVersion("c-in-turn", "1.32.27", "step-hop-2");
        assertThat(rules("c-in-turn")).isEmpty();
    }
}
