package io.stepwise.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/** A real PostgreSQL server (embedded binaries, no Docker), started once per test JVM. */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedPostgres postgres;
    private static boolean statementStatistics;

    /**
     * Loads pg_stat_statements into the server (the bench counts the statements a step costs); call before the
     * first {@link #jdbcUrl}. Off for the tests: it costs every statement a little.
     */
    public static synchronized void enableStatementStatistics() {
        if (postgres != null) {
            throw new IllegalStateException("Postgres already started without pg_stat_statements");
        }
        statementStatistics = true;
    }

    /** The JDBC URL of a database on the shared server, created when missing (user and password: postgres). */
    public static synchronized String jdbcUrl(String database) {
        if (postgres == null) {
            try {
                EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
                if (statementStatistics) {
                    builder.setServerConfig("shared_preload_libraries", "pg_stat_statements")
                            .setServerConfig("pg_stat_statements.track_utility", "off");
                }
                postgres = builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded Postgres", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(PostgresResource::closeQuietly));
        }
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
             ResultSet exists = s.executeQuery("select 1 from pg_database where datname = '" + database + "'")) {
            if (!exists.next()) {
                s.execute("create database " + database);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + database, e);
        }
        return postgres.getJdbcUrl("postgres", database);
    }

    /** The datasource settings of a Quarkus service using a database on the shared server (created when missing). */
    public static Map<String, String> datasource(String database) {
        return Map.of(
                "quarkus.datasource.jdbc.url", jdbcUrl(database),
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres");
    }

    /** A connection to a database on the shared server (created when missing), as its superuser. */
    public static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), "postgres", "postgres");
    }

    @Override
    public Map<String, String> start() {
        return datasource("postgres");
    }

    @Override
    public void stop() {
        // Kept for the whole JVM: every test class shares one server; the shutdown hook closes it.
    }

    private static void closeQuietly() {
        try {
            postgres.close();
        } catch (IOException ignored) {
            // the JVM is going away
        }
    }
}
