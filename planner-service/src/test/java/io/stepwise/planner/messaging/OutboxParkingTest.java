package io.stepwise.planner.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stepwise.model.CloudEventHeaders;
import io.stepwise.outbox.Outbox;
import io.stepwise.planner.testing.AdminByDefault;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An outbox row Kafka refuses for good (too large for the topic's {@code max.message.bytes}, or for the producer's
 * {@code max.request.size}) is parked with its reason and counted, and does not hold up the rows after it: those of
 * the same batch are delivered, each exactly once, and the parked one is never sent again.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AdminByDefault.class, scope = TestResourceScope.GLOBAL)
class OutboxParkingTest {

    /**
     * The topic's limit, which the broker enforces on each record batch it is sent. Above the producer's batch.size
     * (16 KiB): below it, Kafka's producer would split a refused batch of small records into the same batch again,
     * without end, rather than fail the one record too large.
     */
    private static final int TOPIC_MAX_MESSAGE_BYTES = 64 * 1024;

    @Inject
    Outbox outbox;
    @Inject
    DataSource dataSource;

    private final String topic = "stepwise.test.parking-" + UUID.randomUUID();

    @AfterEach
    void removeTheRows() throws Exception {
        try (Connection db = dataSource.getConnection();
             PreparedStatement delete = db.prepareStatement("delete from outbox_event where topic = ?")) {
            delete.setString(1, topic);
            delete.executeUpdate();
        }
    }

    @Test
    void aRowKafkaRefusesForGoodIsParkedAndTheRowsAfterItAreDeliveredOnce() throws Exception {
        // one partition: the refused rows sit between good ones in the order the broker appends them
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KafkaResource.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("max.message.bytes",
                    String.valueOf(TOPIC_MAX_MESSAGE_BYTES))))).all().get();
        }
        double parkedBefore = metric("stepwise_outbox_parked_total");
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("good-1", "a step request");
        rows.put("over-the-topic-limit", "x".repeat(3 * TOPIC_MAX_MESSAGE_BYTES));
        rows.put("good-2", "a lifecycle event");
        rows.put("over-the-producer-limit", "x".repeat(1_100_000)); // max.request.size is 1 MiB
        rows.put("good-3", "another step request");
        Map<String, String> ids = new LinkedHashMap<>();
        rows.keySet().forEach(name -> ids.put(name, name + "-" + UUID.randomUUID()));

        // one transaction: the relay reads the five rows in one batch
        QuarkusTransaction.requiringNew().run(() -> rows.forEach((name, data) -> outbox.publish(ids.get(name), topic,
                "cluster-p", "io.stepwise.test.parking", "cluster-p", Map.of("data", data), Instant.now())));

        await().atMost(Duration.ofSeconds(60)).until(() -> states().values().stream().noneMatch("unsent"::equals));
        Map<String, String> states = states();
        assertThat(states.get(ids.get("good-1"))).isEqualTo("sent");
        assertThat(states.get(ids.get("good-2"))).isEqualTo("sent");
        assertThat(states.get(ids.get("good-3"))).isEqualTo("sent");
        assertThat(states.get(ids.get("over-the-topic-limit"))).startsWith("parked: RecordTooLargeException: ");
        assertThat(states.get(ids.get("over-the-producer-limit"))).startsWith("parked: RecordTooLargeException: ")
                .contains("max.request.size");

        assertThat(delivered()).as("event ids on the topic, in order").containsExactly(ids.get("good-1"),
                ids.get("good-2"), ids.get("good-3"));
        // counted once the parking committed, a moment after the rows show it
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(metric("stepwise_outbox_parked_total")).isEqualTo(parkedBefore + 2));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(metric("stepwise_outbox_parked_rows")).isGreaterThanOrEqualTo(2));
    }

    /** Each row of the test's topic by event id: {@code unsent}, {@code sent} or {@code parked: <reason>}. */
    private Map<String, String> states() throws Exception {
        Map<String, String> states = new LinkedHashMap<>();
        try (Connection db = dataSource.getConnection(); PreparedStatement query = db.prepareStatement(
                "select event_id, sent_at is not null, parked_at is not null, park_reason from outbox_event"
                        + " where topic = ? order by id")) {
            query.setString(1, topic);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    boolean sent = row.getBoolean(2);
                    boolean parked = row.getBoolean(3);
                    states.put(row.getString(1), sent && parked ? "sent and parked"
                            : sent ? "sent" : parked ? "parked: " + row.getString(4) : "unsent");
                }
            }
        }
        return states;
    }

    /**
     * The event ids of every record on the topic up to its end. Read once every row is sent or parked: the relay
     * sends a row only before it marks it, so nothing can follow.
     */
    private List<String> delivered() {
        List<String> ids = new ArrayList<>();
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = KafkaResource.consumer("parking", "earliest")) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    Header id = record.headers().lastHeader(CloudEventHeaders.ID);
                    ids.add(new String(id.value(), StandardCharsets.UTF_8));
                }
                return consumer.position(partition) >= end;
            });
        }
        return ids;
    }

    private static double metric(String name) {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? (\\S+)$").matcher(metrics);
        assertThat(m.find()).as("%s on /q/metrics", name).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
