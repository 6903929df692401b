package io.stepwise.planner.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stepwise.outbox.OutboxRelay;
import io.stepwise.planner.service.StatusIntake;
import io.stepwise.planner.testing.AdminByDefault;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The planner's bookkeeping tables do not grow forever: sent outbox rows and applied event ids older than the
 * retention (7 days by default) are deleted, and an outbox row that was never sent is never deleted.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AdminByDefault.class, scope = TestResourceScope.GLOBAL)
class RetentionTest {

    @Inject
    DataSource dataSource;
    @Inject
    OutboxRelay relay;
    @Inject
    StatusIntake intake;

    @Test
    void oldSentOutboxRowsGoAndUnsentOnesStay() throws Exception {
        String old = UUID.randomUUID().toString();
        String recent = UUID.randomUUID().toString();
        String unsent = UUID.randomUUID().toString();
        try (Connection db = dataSource.getConnection(); Statement sql = db.createStatement()) {
            db.setAutoCommit(true);
            // holding the relay's lock keeps it from sending the unsent row
            sql.execute("select pg_advisory_lock(" + OutboxRelay.RELAY_LOCK + ")");
            try {
                insertOutbox(sql, old, "now() - interval '8 days'");
                insertOutbox(sql, recent, "now() - interval '1 day'");
                insertOutbox(sql, unsent, "null");

                assertThat(relay.pruneSent()).isGreaterThanOrEqualTo(1);

                assertThat(ids(sql, "select event_id from outbox_event where event_id in ('" + old + "', '" + recent
                        + "', '" + unsent + "')")).containsExactlyInAnyOrder(recent, unsent);
            } finally {
                sql.execute("select pg_advisory_unlock(" + OutboxRelay.RELAY_LOCK + ")");
            }
        }
    }

    @Test
    void appliedEventIdsAreForgottenAfterTheRetention() throws Exception {
        String old = "retention-old-" + UUID.randomUUID();
        String recent = "retention-recent-" + UUID.randomUUID();
        try (Connection db = dataSource.getConnection(); Statement sql = db.createStatement()) {
            db.setAutoCommit(true);
            sql.executeUpdate("insert into processed_event (event_id, processed_at) values ('" + old
                    + "', now() - interval '8 days'), ('" + recent + "', now() - interval '1 day')");

            assertThat(intake.pruneProcessed()).isGreaterThanOrEqualTo(1);

            assertThat(ids(sql, "select event_id from processed_event where event_id in ('" + old + "', '" + recent
                    + "')")).containsExactly(recent);
        }
    }

    private static void insertOutbox(Statement sql, String eventId, String sentAt) throws SQLException {
        sql.executeUpdate("insert into outbox_event (event_id, topic, message_key, event_type, payload, created_at,"
                + " sent_at) values ('" + eventId + "', 'stepwise.test.retention', 'k', 'io.stepwise.test', '{}',"
                + " now() - interval '9 days', " + sentAt + ")");
    }

    private static List<String> ids(Statement sql, String query) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (ResultSet rows = sql.executeQuery(query)) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }
}
