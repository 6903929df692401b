package io.stepwise.simulator.weaviate;

import io.stepwise.simulator.ClusterSpec;
import io.stepwise.simulator.FleetSimulator;
import io.stepwise.simulator.SimulatorSettings;
import io.stepwise.simulator.fault.Fault;
import io.stepwise.simulator.fault.FaultType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

class FaultTest {

    static FleetSimulator sim;

    @BeforeAll
    static void start() {
        sim = FleetSimulator.start(0, SimulatorSettings.instant().withKubernetes(false));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @AfterEach
    void clear() {
        sim.clearFaults();
    }

    private static String docker(String id, String version, int nodes) {
        return sim.createCluster(ClusterSpec.weaviate(id, version, nodes, "docker")).endpoint();
    }

    @Test
    void backupFailedEndsTheBackupFailedWithAnError() {
        String endpoint = docker("f-backup", "1.30.23", 1);
        sim.injectFault(Fault.of("f-backup", FaultType.BACKUP_FAILED));
        given().contentType("application/json").body("{\"id\":\"doomed\"}")
                .post(endpoint + "/v1/backups/s3").then().statusCode(200).body("status", equalTo("STARTED"));
        given().get(endpoint + "/v1/backups/s3/doomed").then()
                .body("status", equalTo("FAILED"))
                .body("error", org.hamcrest.Matchers.containsString("simulated storage failure"));
    }

    @Test
    void nodeCrashMakesTheNodeUnavailableUntilCleared() {
        String endpoint = docker("f-crash", "1.30.23", 3);
        sim.injectFault(Fault.nodeCrash("f-crash", "weaviate-1"));
        given().get(endpoint + "/v1/nodes").then()
                .body("nodes.status", equalTo(List.of("HEALTHY", "UNAVAILABLE", "HEALTHY")));
        given().get(endpoint + "/v1/cluster/statistics").then().body("synchronized", equalTo(false));
        sim.clearFaults();
        given().get(endpoint + "/v1/cluster/statistics").then().body("synchronized", equalTo(true));
    }

    @Test
    void slowApiDelaysAnswers() {
        String endpoint = docker("f-slow", "1.30.23", 1);
        sim.injectFault(Fault.slowApi("f-slow", 300));
        long took = given().get(endpoint + "/v1/meta").then().statusCode(200).extract().time();
        assertThat(took).isGreaterThanOrEqualTo(300);
        given().get(docker("f-fast", "1.30.23", 1) + "/v1/meta").then().statusCode(200);
    }

    @Test
    void apiErrorAtRandomIsReproducibleFromTheSeed() {
        String endpoint = docker("f-flaky", "1.30.23", 1);
        List<Integer> first = statuses(endpoint, 42);
        sim.clearFaults();
        List<Integer> second = statuses(endpoint, 42);
        assertThat(first).contains(200, 503).isEqualTo(second);
    }

    @Test
    void aFaultWithTimesHitsThatManyRequestsThenStandsDown() {
        String endpoint = docker("f-twice", "1.30.23", 1);
        given().contentType("application/json").body("{\"clusterId\":\"f-twice\",\"type\":\"API_ERROR\",\"status\":503,"
                + "\"times\":2}").post(sim.baseUrl() + "/admin/faults").then().statusCode(201);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            statuses.add(given().get(endpoint + "/v1/meta").statusCode());
        }
        assertThat(statuses).containsExactly(503, 503, 200, 200);
        given().contentType("application/json").body("{\"clusterId\":\"f-twice\",\"type\":\"API_ERROR\",\"times\":0}")
                .post(sim.baseUrl() + "/admin/faults").then().statusCode(400);
        given().contentType("application/json").body("{\"clusterId\":\"f-twice\",\"type\":\"NODE_CRASH\",\"times\":1}")
                .post(sim.baseUrl() + "/admin/faults").then().statusCode(400);
    }

    private static List<Integer> statuses(String endpoint, long seed) {
        sim.injectFault(Fault.apiError("f-flaky", 503).withProbability(0.5, seed));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            statuses.add(given().get(endpoint + "/v1/meta").statusCode());
        }
        return statuses;
    }

    @Test
    void randomNodeCrashesHitTheSameClustersForTheSameSeed() {
        for (int i = 0; i < 20; i++) {
            docker("f-rand-" + i, "1.30.23", 3);
        }
        List<String> first = crashedClusters(7);
        sim.clearFaults();
        assertThat(crashedClusters(7)).isEqualTo(first);
        assertThat(first).isNotEmpty().hasSizeLessThan(20);
    }

    private static List<String> crashedClusters(long seed) {
        sim.injectFault(new Fault(null, null, FaultType.NODE_CRASH, null, null, null, 0.5, seed, null));
        List<String> crashed = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            WeaviateSnapshot state = sim.weaviate("f-rand-" + i);
            if (state.nodes().stream().anyMatch(n -> !n.healthy())) {
                crashed.add("f-rand-" + i);
            }
        }
        return crashed;
    }

    @Test
    void syncThatNeverConvergesKeepsSynchronizedFalse() {
        String endpoint = docker("f-sync", "1.30.23", 3);
        sim.injectFault(Fault.of("f-sync", FaultType.SYNC_NEVER_CONVERGES));
        given().get(endpoint + "/v1/cluster/statistics").then()
                .body("synchronized", equalTo(false))
                .body("statistics.status", equalTo(List.of("HEALTHY", "HEALTHY", "HEALTHY")));
    }

    @Test
    void faultsComeAndGoThroughTheAdminApi() {
        String endpoint = docker("f-admin", "1.30.23", 1);
        given().contentType("application/json").body("{\"clusterId\":\"f-admin\",\"type\":\"API_ERROR\",\"status\":500}")
                .post(sim.baseUrl() + "/admin/faults").then().statusCode(201).body("type", equalTo("API_ERROR"));
        given().get(endpoint + "/v1/meta").then().statusCode(500).body("error[0].message",
                equalTo("simulated failure (injected fault)"));
        given().delete(sim.baseUrl() + "/admin/faults").then().statusCode(204);
        given().get(endpoint + "/v1/meta").then().statusCode(200);
        given().contentType("application/json").body("{\"type\":\"NO_SUCH_FAULT\"}")
                .post(sim.baseUrl() + "/admin/faults").then().statusCode(400);
    }
}
