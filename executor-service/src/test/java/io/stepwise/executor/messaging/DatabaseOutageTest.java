package io.stepwise.executor.messaging;

import static io.restassured.RestAssured.given;
import static io.stepwise.executor.support.SimulatorResource.simulator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.stepwise.executor.support.SimulatorResource;
import io.stepwise.executor.support.StepTopic;
import io.stepwise.executor.support.TestClusters;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import io.stepwise.model.StepState;
import io.stepwise.model.StepStatus;
import io.stepwise.model.Topics;
import io.stepwise.outbox.RecordBatches;
import io.stepwise.simulator.ClusterSpec;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The executor's database goes away and comes back: a step request consumed meanwhile is neither acknowledged nor
 * parked, readiness says why, liveness stays UP, and once the database is back the request is recorded and run, and
 * nothing lands in the dead-letter topic. The database is a Postgres of this test's own (zonky binaries on a fixed
 * port), stopped and started again on the same data directory.
 */
@QuarkusTest
@TestProfile(DatabaseOutageTest.OwnDatabase.class)
@QuarkusTestResource(SimulatorResource.class)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
class DatabaseOutageTest {

    /** The executor on a database this test can stop. */
    public static class OwnDatabase implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.datasource.jdbc.url", OwnPostgres.start().getJdbcUrl("postgres", "postgres"),
                    "quarkus.datasource.username", "postgres",
                    "quarkus.datasource.password", "postgres",
                    // a dead connection is noticed at once rather than after a long wait for one
                    "quarkus.datasource.jdbc.acquisition-timeout", "2S");
        }
    }

    /** One Postgres server on a fixed port and data directory, stopped and started again by the test. */
    static final class OwnPostgres {
        private static final int PORT = freePort();
        private static final Path DATA = dataDirectory();
        private static EmbeddedPostgres server;

        static synchronized EmbeddedPostgres start() {
            if (server == null) {
                try {
                    server = EmbeddedPostgres.builder().setPort(PORT).setDataDirectory(DATA)
                            .setCleanDataDirectory(false).start();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot start the test's own Postgres", e);
                }
            }
            return server;
        }

        static synchronized void stop() {
            if (server != null) {
                try {
                    server.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                server = null;
            }
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static Path dataDirectory() {
            try {
                return Files.createDirectories(Path.of("target", "outage-postgres-" + System.nanoTime())).toAbsolutePath();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Inject
    RecordBatches batches;

    @AfterAll
    static void databaseUpAgain() {
        // started again for the rest of the run: the application stops after the last test of this profile
        OwnPostgres.start();
    }

    @Test
    void aStepConsumedWhileTheDatabaseIsAwayIsRunOnceItIsBackAndNothingIsParked() throws Exception {
        var cluster = simulator().createCluster(ClusterSpec.weaviate("outage", "1.30.23", 1, "kubernetes"));
        TestClusters steps = TestClusters.of(cluster);
        StepRequested before = steps.step(StepKind.VERIFY, "1.30.23", Map.of("expectedNodes", 1));
        StepRequested during = steps.step(StepKind.VERIFY, "1.30.23", Map.of("expectedNodes", 1));

        try (StepTopic topic = new StepTopic()) {
            topic.send(before.clusterId(), StepRequested.TYPE, before);
            await().atMost(Duration.ofSeconds(60)).until(() -> ended(topic, before));

            OwnPostgres.stop();
            topic.send(during.clusterId(), StepRequested.TYPE, during);

            // consumed, and waiting for the database rather than parked
            await().atMost(Duration.ofSeconds(60)).until(() -> batches.waiting().isPresent());
            given().when().get("/q/health/ready").then().statusCode(503);
            given().when().get("/q/health/live").then().statusCode(200);
            assertThat(given().when().get("/q/health/ready").asString()).contains("waiting since");

            OwnPostgres.start();

            await().atMost(Duration.ofSeconds(120)).until(() -> ended(topic, during));
            assertThat(end(topic, during).state()).as(end(topic, during).message()).isEqualTo(StepState.SUCCEEDED);
            await().atMost(Duration.ofSeconds(30)).until(() -> batches.waiting().isEmpty());
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> given().when().get("/q/health/ready").statusCode() == 200);
            // a marker sent after the outage has been consumed once everything before it was
            StepRequested marker = steps.step(StepKind.VERIFY, "1.30.23", Map.of("expectedNodes", 1));
            topic.send(marker.clusterId(), StepRequested.TYPE, marker);
            await().atMost(Duration.ofSeconds(60)).until(() -> ended(topic, marker));
            assertThat(topic.on(Topics.STEPS + ".dlq")).as("parked records").noneMatch(r -> r.value()
                    .contains(during.stepId()));
        }
        assertThat(simulator().violations("outage")).isEmpty();
    }

    private static boolean ended(StepTopic topic, StepRequested step) {
        return end(topic, step) != null;
    }

    private static StepStatus end(StepTopic topic, StepRequested step) {
        return topic.events(Topics.STEP_STATUS, "io.stepwise.step.", StepStatus.class).stream()
                .filter(s -> s.stepId().equals(step.stepId()) && s.state().isTerminal()).findFirst().orElse(null);
    }
}
