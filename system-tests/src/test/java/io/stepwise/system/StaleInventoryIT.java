package io.stepwise.system;

import static io.stepwise.system.FleetRolloutIT.assertNoDuplicatedEffect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepwise.simulator.ClusterInfo;
import io.stepwise.simulator.ClusterSpec;
import io.stepwise.simulator.SimulatorSettings;
import io.stepwise.simulator.ledger.EffectType;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The inventory says 1.24.10 where the cluster runs 1.23.5. Probed (the default), the rollout is planned from what
 * the cluster runs, succeeds, and corrects the inventory; planned from the inventory ({@code "probe": false}), its
 * first step finds the cluster is not what it expects and changes nothing. No minor is ever skipped.
 */
class StaleInventoryIT {

    private static final String REGISTERED = "1.24.10";
    private static final String RUNNING = "1.23.5";
    private static Stack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack("stale-inventory", SimulatorSettings.defaults()
                .withBackupDuration(Duration.ofMillis(100))
                .withNodeRestartDuration(Duration.ofMillis(20))
                .withSyncDuration(Duration.ofMillis(20))
                .withTickInterval(Duration.ofMillis(10))).start();
        for (String id : List.of("probed", "trusted")) {
            ClusterInfo c = stack.simulator.createCluster(ClusterSpec.weaviate(id, RUNNING, 3, "kubernetes")
                    .withCollections(Map.of("Article", 700L)));
            Map<String, Object> registration = new HashMap<>(stack.simulator.registration(c, Map.of("fleet", "stale")));
            registration.put("version", REGISTERED); // the inventory is out of date
            stack.register(registration);
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        stack.close();
    }

    @Test
    void probedTheRolloutIsPlannedFromWhatTheClusterRunsAndCorrectsTheInventory() throws Exception {
        String id = stack.startRollout(Map.of("product", "weaviate", "targetVersion", "1.24",
                "clusterIds", List.of("probed")));
        JsonNode done = stack.awaitFinished(id, Duration.ofMinutes(2));

        assertThat(done.get("state").asText()).as("rollout: %s", done.get("message")).isEqualTo("SUCCEEDED");
        JsonNode cluster = Stack.cluster(done, "probed");
        assertThat(cluster.get("fromVersion").asText()).as("planned from").isEqualTo(RUNNING);
        String target = cluster.get("toVersion").asText();
        assertThat(target).startsWith("1.24.");
        assertThat(cluster.get("steps")).anySatisfy(s -> assertThat(s.get("toVersion").asText()).startsWith("1.23."));
        assertThat(stack.simulator.weaviate("probed").allNodesOn(target)).isTrue();
        assertThat(stack.simulator.weaviate("probed").collections()).containsEntry("Article", 700L);
        assertThat(stack.get("/api/v1/clusters/probed").get("version").asText()).as("inventory").isEqualTo(target);
        JsonNode corrected = StreamSupport.stream(stack.get("/api/v1/audit?kind=cluster&subject=probed").spliterator(),
                false).filter(c -> c.get("type").asText().equals("cluster.corrected")).findFirst().orElseThrow();
        assertThat(corrected.toString()).contains(REGISTERED, RUNNING);
        assertThat(stack.simulator.violations("probed")).as("violations, SKIPPED_MINOR among them").isEmpty();
        assertNoDuplicatedEffect(stack.simulator.effects("probed"));
    }

    @Test
    void plannedFromTheInventoryTheFirstStepFailsItsPreflightAndChangesNothing() throws Exception {
        String id = stack.startRollout(Map.of("product", "weaviate", "targetVersion", "1.24",
                "clusterIds", List.of("trusted"), "probe", false));
        JsonNode done = stack.awaitFinished(id, Duration.ofMinutes(2));

        assertThat(done.get("state").asText()).isEqualTo("FAILED");
        JsonNode cluster = Stack.cluster(done, "trusted");
        assertThat(cluster.get("state").asText()).isEqualTo("FAILED");
        assertThat(cluster.get("fromVersion").asText()).as("planned from").isEqualTo(REGISTERED);
        JsonNode first = cluster.get("steps").get(0);
        assertThat(first.get("state").asText()).isEqualTo("FAILED");
        assertThat(first.get("errorCode").asText()).isEqualTo("PRECONDITION_FAILED");
        assertThat(first.get("error").asText()).contains(REGISTERED, RUNNING);
        for (int i = 1; i < cluster.get("steps").size(); i++) {
            assertThat(cluster.get("steps").get(i).get("state").asText()).as("step %d", i + 1).isEqualTo("PENDING");
        }

        assertThat(stack.simulator.effects("trusted")).as("nothing changed on the cluster")
                .allSatisfy(e -> assertThat(e.type()).isEqualTo(EffectType.CLUSTER_CREATED));
        assertThat(stack.simulator.weaviate("trusted").allNodesOn(RUNNING)).isTrue();
        assertThat(stack.simulator.violations("trusted")).as("violations, SKIPPED_MINOR among them").isEmpty();
    }
}
