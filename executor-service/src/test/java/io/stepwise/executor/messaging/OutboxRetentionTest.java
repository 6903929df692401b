package io.stepwise.executor.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stepwise.executor.support.SimulatorResource;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The executor's outbox does not grow forever: sent rows past the retention go, unsent rows never do. */
@QuarkusTest
@QuarkusTestResource(SimulatorResource.class)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
class OutboxRetentionTest {

    @Inject
    DataSource dataSource;
    @Inject
    OutboxRelay relay;

    @Test
    void oldSentRowsGoAndUnsentOnesStay() throws Exception {
        String old = UUID.randomUUID().toString();
        String recent = UUID.randomUUID().toString();
        String unsent = UUID.randomUUID().toString();
        try (Connection db = dataSource.getConnection(); Statement sql = db.createStatement()) {
            db.setAutoCommit(true);
            // holding the relay's lock keeps it from sending the unsent row
            sql.execute("select pg_advisory_lock(" + OutboxRelay.RELAY_LOCK + ")");
            try {
                for (String[] row : new String[][] {{old, "now() - interval '8 days'"},
                        {recent, "now() - interval '1 day'"}, {unsent, "null"}}) {
                    sql.executeUpdate("insert into outbox_event (event_id, topic, message_key, event_type, payload,"
                            + " created_at, sent_at) values ('" + row[0] + "', 'stepwise.test.retention', 'k',"
                            + " 'io.stepwise.test', '{}', now() - interval '9 days', " + row[1] + ")");
                }

                assertThat(relay.pruneSent()).isGreaterThanOrEqualTo(1);

                List<String> left = new ArrayList<>();
                try (ResultSet rows = sql.executeQuery("select event_id from outbox_event where event_id in ('" + old
                        + "', '" + recent + "', '" + unsent + "')")) {
                    while (rows.next()) {
                        left.add(rows.getString(1));
                    }
                }
                assertThat(left).containsExactlyInAnyOrder(recent, unsent);
            } finally {
                sql.execute("select pg_advisory_unlock(" + OutboxRelay.RELAY_LOCK + ")");
            }
        }
    }
}
