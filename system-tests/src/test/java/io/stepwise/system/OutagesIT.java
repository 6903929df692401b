package io.stepwise.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepwise.simulator.ClusterSpec;
import io.stepwise.simulator.SimulatorSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What both services run on goes away in the middle of a rollout: Postgres for a full minute, then the Kafka broker
 * (restarted). Both rollouts complete, nothing is parked in a dead-letter topic (a failure that passes parks nothing),
 * and every operation happened once on the clusters. The stack has a Postgres and a broker of its own, so that taking
 * them away disturbs no other test class.
 */
class OutagesIT {

    private static final int CLUSTERS = 4;
    private static final Duration POSTGRES_OUTAGE = Duration.ofSeconds(60);
    private static Stack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack("outages", SimulatorSettings.defaults()
                .withBackupDuration(Duration.ofSeconds(1)) // steps long enough for an outage to land while one runs
                .withNodeRestartDuration(Duration.ofMillis(150))
                .withSyncDuration(Duration.ofMillis(50))
                .withTickInterval(Duration.ofMillis(10)))
                .ownBacking()
                .start();
        for (String fleet : new String[] {"db", "broker"}) {
            for (int i = 0; i < CLUSTERS; i++) {
                stack.register(stack.simulator.createCluster(ClusterSpec.weaviate(fleet + "-" + i, "1.28.16", 3,
                        "kubernetes").withCollections(Map.of("Article", 400L + i))), Map.of("fleet", fleet));
            }
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        stack.close();
    }

    @Test
    void rolloutsCompleteThroughAPostgresOutageAndABrokerRestartParkingNothingAndDoingNothingTwice() throws Exception {
        // Postgres away for a minute in the middle of the first rollout
        String throughDatabaseOutage = stack.startRollout(Map.of("product", "weaviate", "targetVersion", "1.30",
                "selector", "fleet=db", "strategy", Map.of("maxParallel", 2)));
        awaitProgress(throughDatabaseOutage, 3);
        Instant stopped = Instant.now();
        stack.postgres().stop();
        // both services notice and say so (readiness reflects Postgres), and nothing else happens meanwhile
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> Stack.status(stack.planner, "/q/health/ready") != 200
                        && Stack.status(stack.executor, "/q/health/ready") != 200);
        await().pollDelay(Duration.between(Instant.now(), stopped.plus(POSTGRES_OUTAGE)))
                .atMost(POSTGRES_OUTAGE.plusSeconds(10)).until(() -> !stack.postgres().isRunning());
        stack.postgres().start();
        awaitReady();
        JsonNode first = stack.awaitFinished(throughDatabaseOutage, Duration.ofMinutes(3));
        assertThat(first.get("state").asText()).as("rollout through the Postgres outage: %s", first.get("message"))
                .isEqualTo("SUCCEEDED");

        // the broker restarted in the middle of the second rollout
        String throughBrokerRestart = stack.startRollout(Map.of("product", "weaviate", "targetVersion", "1.30",
                "selector", "fleet=broker", "strategy", Map.of("maxParallel", 2)));
        awaitProgress(throughBrokerRestart, 3);
        stack.kafka().restart();
        JsonNode second = stack.awaitFinished(throughBrokerRestart, Duration.ofMinutes(3));
        assertThat(second.get("state").asText()).as("rollout through the broker restart: %s", second.get("message"))
                .isEqualTo("SUCCEEDED");

        for (String fleet : new String[] {"db", "broker"}) {
            for (int i = 0; i < CLUSTERS; i++) {
                assertThat(stack.simulator.weaviate(fleet + "-" + i).allNodesOn("1.30.23")).as("%s-%d", fleet, i)
                        .isTrue();
                assertThat(stack.simulator.weaviate(fleet + "-" + i).collections()).containsEntry("Article", 400L + i);
            }
        }
        assertThat(stack.records("stepwise.steps.dlq")).as("step requests parked").isEmpty();
        assertThat(stack.records("stepwise.step-status.dlq")).as("statuses parked").isEmpty();
        // 1.28.16 -> 1.29.11 -> 1.30.23: one backup and two hops per cluster, each done once
        Effects.assertWeaviateOperationsOnce(stack.simulator.effects(), 2 * CLUSTERS, 2 * 2 * CLUSTERS, 3);
        assertThat(stack.simulator.violations()).as("violations (CONCURRENT_OPERATION among them)").isEmpty();
        assertThat(stack.get("/api/v1/rollouts/" + throughDatabaseOutage + "/audit/verify").get("valid").asBoolean())
                .isTrue();
        assertThat(stack.get("/api/v1/rollouts/" + throughBrokerRestart + "/audit/verify").get("valid").asBoolean())
                .isTrue();
    }

    private static void awaitReady() {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> Stack.status(stack.planner, "/q/health/ready") == 200
                        && Stack.status(stack.executor, "/q/health/ready") == 200);
    }

    /** Waits until at least {@code succeeded} steps of the rollout are done and at least one more is in flight. */
    private static void awaitProgress(String rolloutId, int succeeded) {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> {
            int done = 0;
            int inFlight = 0;
            for (JsonNode cluster : stack.rollout(rolloutId).get("clusters")) {
                for (JsonNode step : cluster.get("steps")) {
                    String state = step.get("state").asText();
                    done += state.equals("SUCCEEDED") ? 1 : 0;
                    inFlight += state.equals("RUNNING") || state.equals("DISPATCHED") ? 1 : 0;
                }
            }
            return done >= succeeded && inFlight > 0;
        });
    }
}
