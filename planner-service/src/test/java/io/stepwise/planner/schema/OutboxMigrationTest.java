package io.stepwise.planner.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stepwise.planner.testing.AdminByDefault;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.Migrations;
import io.stepwise.testing.PostgresResource;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

/**
 * The outbox table moved from V2 to the outbox module's db/outbox: a database migrated by the releases before
 * (src/test/resources/db/released holds V2 as it was) upgrades with its unsent events kept, to the same table a new
 * database gets (this service's own, migrated at start).
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AdminByDefault.class, scope = TestResourceScope.GLOBAL)
class OutboxMigrationTest {

    private static final String DATABASE = "planner_before_outbox_move";

    @Inject
    Flyway flyway;

    @Test
    void aDatabaseFromBeforeTheMoveUpgradesKeepingItsUnsentEvents() throws Exception {
        Migrations.applyReleased(DATABASE, Path.of("src/main/resources/db/migration"), Path.of("src/test/resources/db/released"));
        try (Connection c = PostgresResource.connect(DATABASE); Statement s = c.createStatement()) {
            s.executeUpdate("insert into outbox_event (event_id, topic, message_key, event_type, payload, created_at)"
                    + " values ('0b6a3c9e-4d2f-4f0a-9c55-7a1d2e3f4b5c', 'stepwise.steps', 'c-1', 'type', '{}', now())");
        }

        MigrateResult upgrade = Migrations.applyCurrent(DATABASE, flyway);

        assertThat(upgrade.success).isTrue();
        assertThat(upgrade.migrations).extracting(m -> m.filepath).anySatisfy(p -> assertThat(p).endsWith("R__outbox_event.sql"));
        try (Connection c = PostgresResource.connect(DATABASE); Statement s = c.createStatement();
             ResultSet unsent = s.executeQuery("select event_id from outbox_event where sent_at is null")) {
            assertThat(unsent.next()).isTrue();
            assertThat(unsent.getString(1)).isEqualTo("0b6a3c9e-4d2f-4f0a-9c55-7a1d2e3f4b5c");
        }
        assertThat(Migrations.shape(DATABASE, "outbox_event")).isEqualTo(Migrations.shape("postgres", "outbox_event"));
        // a later start finds nothing to do and nothing to refuse
        Flyway again = Migrations.as(DATABASE, flyway);
        again.validate();
        assertThat(again.migrate().migrationsExecuted).isZero();
    }
}
