package io.stepwise.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Postgres: databases, an outage (stop, then start on the same port with the same data) and statement statistics on
 * the selected backing (embedded, or containers with -Pdocker); kept and throw-away data directories, embedded.
 */
class PostgresTest {

    @Test
    void stopsAndStartsAgainOnTheSamePortWithTheSameData() throws Exception {
        try (Postgres postgres = Postgres.builder().start()) {
            int port = postgres.port();
            try (Connection c = postgres.connect("outage"); Statement s = c.createStatement()) {
                s.execute("create table kept (v int)");
                s.execute("insert into kept values (42)");
            }

            postgres.stop();
            assertThat(postgres.isRunning()).isFalse();
            assertThatThrownBy(() -> DriverManager.getConnection("jdbc:postgresql://" + postgres.host() + ":" + port + "/outage",
                    Postgres.USER, Postgres.PASSWORD).close()).isInstanceOf(SQLException.class);

            postgres.start();
            assertThat(postgres.port()).isEqualTo(port);
            assertThat(postgres.jdbcUrl("outage")).isEqualTo("jdbc:postgresql://" + postgres.host() + ":" + port + "/outage");
            assertThat(value(postgres, "outage", "select v from kept")).isEqualTo("42");
        }
    }

    @Test
    void aGivenDataDirectoryIsKeptForTheNextServer(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("postgres");
        try (Postgres first = Postgres.builder().backing(Backing.EMBEDDED).dataDirectory(data).start();
             Connection c = first.connect("stepwise"); Statement s = c.createStatement()) {
            s.execute("create table kept (v text)");
            s.execute("insert into kept values ('between runs')");
        }
        assertThat(data.resolve("PG_VERSION")).exists();

        try (Postgres second = Postgres.builder().backing(Backing.EMBEDDED).dataDirectory(data).start()) {
            assertThat(value(second, "stepwise", "select v from kept")).isEqualTo("between runs");
        }
    }

    @Test
    void aThrowAwayDataDirectoryGoesWithTheServer() throws Exception {
        Path data;
        try (Postgres postgres = Postgres.builder().backing(Backing.EMBEDDED).start()) {
            data = Path.of(value(postgres, "postgres", "show data_directory"));
            assertThat(data).exists();
        }
        assertThat(Files.exists(data)).isFalse();
    }

    @Test
    void statementStatisticsWhenAskedFor() throws Exception {
        try (Postgres postgres = Postgres.builder().statementStatistics(true).start();
             Connection c = postgres.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("create extension if not exists pg_stat_statements");
            s.execute("select pg_stat_statements_reset()");
            assertThat(value(postgres, "postgres", "show shared_preload_libraries")).contains("pg_stat_statements");
        }
    }

    private static String value(Postgres postgres, String database, String sql) throws SQLException {
        try (Connection c = postgres.connect(database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
