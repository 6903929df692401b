package io.stepwise.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stepwise.testing.PostgresResource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which failures of the real database a consumer's write retries, and which it gives up on at once. */
class TransientFailureTest {

    private final TransientFailure transientFailure = new TransientFailure();

    @Test
    void aBrokenConstraintOrAValueTooLongIsNotRetried() throws SQLException {
        String table = "t_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = PostgresResource.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("create table " + table + " (id varchar(5) primary key)");
            s.execute("insert into " + table + " values ('a')");

            Throwable duplicate = catchThrowable(() -> s.execute("insert into " + table + " values ('a')"));
            Throwable tooLong = catchThrowable(() -> s.execute("insert into " + table + " values ('abcdefgh')"));
            Throwable noSuchTable = catchThrowable(() -> s.execute("select * from no_such_table"));

            // as the services meet them: wrapped by Hibernate and the transaction manager
            assertThat(transientFailure.test(new RuntimeException("could not execute statement", duplicate))).isFalse();
            assertThat(transientFailure.test(tooLong)).isFalse();
            assertThat(transientFailure.test(noSuchTable)).isFalse();
        }
    }

    @Test
    void aConnectionTheDatabaseDroppedIsRetried() throws SQLException {
        try (Connection victim = PostgresResource.connect("postgres"); Connection admin = PostgresResource.connect("postgres");
             Statement s = admin.createStatement()) {
            int pid;
            try (var r = victim.createStatement().executeQuery("select pg_backend_pid()")) {
                r.next();
                pid = r.getInt(1);
            }
            s.execute("select pg_terminate_backend(" + pid + ")");

            Throwable dropped = catchThrowable(() -> victim.createStatement().execute("select 1"));

            assertThat(dropped).isInstanceOf(SQLException.class);
            assertThat(transientFailure.test(new RuntimeException("could not execute statement", dropped))).isTrue();
        }
    }

    @Test
    void aBadRecordIsNotRetriedAndAnUnknownFailureIs() {
        assertThat(transientFailure.test(new IllegalArgumentException("not a step"))).isFalse();
        assertThat(transientFailure.test(new IllegalStateException("step was never recorded"))).isFalse();
        assertThat(transientFailure.test(new RuntimeException("transaction rolled back"))).isTrue();
    }
}
