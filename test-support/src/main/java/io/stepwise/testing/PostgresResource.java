package io.stepwise.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.stepwise.infrastructure.Postgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * The Postgres server every test class of a JVM shares (module {@code infrastructure}: embedded binaries, or a
 * container with {@code -Pdocker}), started on first use and stopped when the JVM exits.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private static Postgres postgres;
    private static boolean statementStatistics;

    /**
     * Loads pg_stat_statements into the server; call before the first use. Off for the tests: it costs every
     * statement a little.
     */
    public static synchronized void enableStatementStatistics() {
        if (postgres != null) {
            throw new IllegalStateException("Postgres already started without pg_stat_statements");
        }
        statementStatistics = true;
    }

    /** The shared server, started on first use. */
    public static synchronized Postgres postgres() {
        if (postgres == null) {
            postgres = Postgres.builder().statementStatistics(statementStatistics).start();
        }
        return postgres;
    }

    /** The JDBC URL of a database on the shared server, created when missing (user and password: postgres). */
    public static String jdbcUrl(String database) {
        return postgres().jdbcUrl(database);
    }

    /** The datasource settings of a Quarkus service using a database on the shared server (created when missing). */
    public static Map<String, String> datasource(String database) {
        return postgres().datasource(database);
    }

    /** A connection to a database on the shared server (created when missing), as its superuser. */
    public static Connection connect(String database) throws SQLException {
        return postgres().connect(database);
    }

    @Override
    public Map<String, String> start() {
        return datasource("postgres");
    }

    @Override
    public void stop() {
        // Kept for the whole JVM: every test class shares one server; it stops when the JVM exits.
    }
}
