package io.stepwise.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepwise.simulator.ClusterInfo;
import io.stepwise.simulator.ClusterSpec;
import io.stepwise.simulator.SimulatorSettings;
import io.stepwise.simulator.ledger.Effect;
import io.stepwise.simulator.ledger.EffectType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A REST request upgrades a whole simulated fleet of both products through the real broker: the planner and the
 * executor run as separate processes, as in production.
 */
class FleetRolloutIT {

    private static Stack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack("fleet", SimulatorSettings.defaults()
                .withBackupDuration(Duration.ofMillis(100))
                .withNodeRestartDuration(Duration.ofMillis(20))
                .withSyncDuration(Duration.ofMillis(20))
                .withTickInterval(Duration.ofMillis(10))).start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        stack.close();
    }

    @Test
    void twentyClustersOfMixedVersionsAndBothProductsReachTheirTargetsSafely() throws Exception {
        String[] weaviate = {"1.24.10", "1.25.3", "1.26.5", "1.27.27", "1.28.16", "1.29.11", "1.30.5"};
        List<ClusterInfo> clusters = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            String deployment = i % 5 == 4 ? "docker" : "kubernetes";
            clusters.add(stack.simulator.createCluster(ClusterSpec.weaviate("w-" + i, weaviate[i % weaviate.length],
                    3, deployment).withCollections(Map.of("Article", 1000L + i))));
        }
        String[] pachyderm = {"1.11.2", "1.12.1", "1.10.5", "1.11.9", "1.12.3"};
        for (int i = 0; i < pachyderm.length; i++) {
            clusters.add(stack.simulator.createCluster(ClusterSpec.pachyderm("p-" + i, pachyderm[i])));
        }
        for (ClusterInfo c : clusters) {
            stack.register(c, Map.of("fleet", "e2e"));
        }

        String weaviateRollout = stack.startRollout(Map.of("product", "weaviate", "targetVersion", "1.30",
                "selector", "fleet=e2e", "strategy", Map.of("maxParallel", 5)));
        String pachydermRollout = stack.startRollout(Map.of("product", "pachyderm", "targetVersion", "1.12",
                "selector", "fleet=e2e", "strategy", Map.of("maxParallel", 5)));
        JsonNode w = stack.awaitFinished(weaviateRollout, Duration.ofMinutes(6));
        JsonNode p = stack.awaitFinished(pachydermRollout, Duration.ofMinutes(6));

        assertThat(w.get("state").asText()).as("weaviate rollout: %s", w.get("message")).isEqualTo("SUCCEEDED");
        assertThat(p.get("state").asText()).as("pachyderm rollout: %s", p.get("message")).isEqualTo("SUCCEEDED");
        for (int i = 0; i < 15; i++) {
            assertThat(stack.simulator.weaviate("w-" + i).allNodesOn("1.30.23")).as("w-%d on 1.30.23", i).isTrue();
            assertThat(stack.simulator.weaviate("w-" + i).collections()).containsEntry("Article", 1000L + i);
        }
        for (int i = 0; i < pachyderm.length; i++) {
            assertThat(stack.simulator.pachyderm("p-" + i).serverVersion()).as("p-%d", i).hasToString("1.12.5");
        }
        assertThat(stack.simulator.violations()).as("safety violations").isEmpty();
        assertNoDuplicatedEffect(stack.simulator.effects());
        assertThat(maxClustersAtOnce(w)).as("weaviate clusters running at once").isBetween(2, 5);
        assertThat(maxClustersAtOnce(p)).as("pachyderm clusters running at once").isLessThanOrEqualTo(5);
        assertThat(stack.get("/api/v1/rollouts/" + weaviateRollout + "/audit/verify").get("valid").asBoolean()).isTrue();
        assertThat(stack.get("/api/v1/rollouts/" + pachydermRollout + "/audit/verify").get("valid").asBoolean()).isTrue();
        assertThat(stack.get("/api/v1/clusters/w-0").get("version").asText()).isEqualTo("1.30.23");
    }

    /** Every effect that changes a cluster happens once: a step that ran twice would show here. */
    static void assertNoDuplicatedEffect(List<Effect> effects) {
        Map<String, Long> counts = effects.stream()
                .filter(e -> e.type() != EffectType.CLUSTER_CREATED)
                .collect(Collectors.groupingBy(e -> e.clusterId() + " " + e.type() + " " + e.stepId() + " "
                        + new java.util.TreeMap<>(e.details()), Collectors.counting()));
        assertThat(counts).as("effects recorded more than once").allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo(1L));
    }

    /** The most clusters whose [startedAt, finishedAt] overlap, from the rollout's own record. */
    static int maxClustersAtOnce(JsonNode rollout) {
        List<Instant[]> spans = new ArrayList<>();
        for (JsonNode c : rollout.get("clusters")) {
            if (c.hasNonNull("startedAt") && c.hasNonNull("finishedAt")) {
                spans.add(new Instant[] {Instant.parse(c.get("startedAt").asText()),
                        Instant.parse(c.get("finishedAt").asText())});
            }
        }
        int max = 0;
        for (Instant[] s : spans) {
            int overlapping = 0;
            for (Instant[] o : spans) {
                if (!o[0].isAfter(s[0]) && o[1].isAfter(s[0])) {
                    overlapping++;
                }
            }
            max = Math.max(max, overlapping);
        }
        return max;
    }
}
