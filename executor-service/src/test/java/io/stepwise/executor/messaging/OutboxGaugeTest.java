package io.stepwise.executor.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stepwise.executor.support.SimulatorResource;
import io.stepwise.outbox.OutboxRelay;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * {@code stepwise_outbox_unsent} on the executor's /q/metrics counts the status events its outbox has not yet
 * handed to Kafka: it rises while the relay cannot send, and falls back to 0 once the relay has sent them.
 */
@QuarkusTest
@QuarkusTestResource(SimulatorResource.class)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
class OutboxGaugeTest {

    private static final Pattern UNSENT = Pattern.compile("(?m)^stepwise_outbox_unsent(?:\\{[^}]*})? (\\S+)$");

    @Inject
    DataSource dataSource;

    private static double unsentGauge() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = UNSENT.matcher(metrics);
        assertThat(m.find()).as("stepwise_outbox_unsent on /q/metrics").isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void unsentOutboxRowsShowOnTheGaugeUntilTheRelaySendsThem() throws Exception {
        try (Connection relayBlocker = dataSource.getConnection(); Statement sql = relayBlocker.createStatement()) {
            relayBlocker.setAutoCommit(true);
            // holding the lock the relay takes for each batch stalls it
            sql.execute("select pg_advisory_lock(" + OutboxRelay.RELAY_LOCK + ")");
            try {
                // a status event the relay will send to a topic no test reads
                sql.executeUpdate("insert into outbox_event (event_id, topic, message_key, event_type, payload,"
                        + " created_at) values ('" + UUID.randomUUID() + "', 'stepwise.test.outbox-gauge', 'gauge-1',"
                        + " 'io.stepwise.step.progress', '{}', now())");

                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                        .untilAsserted(() -> assertThat(unsentGauge()).isGreaterThanOrEqualTo(1));
            } finally {
                sql.execute("select pg_advisory_unlock(" + OutboxRelay.RELAY_LOCK + ")");
            }
        }

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(unsentGauge()).isZero());
    }
}
