package io.stepwise.infrastructure;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/**
 * A PostgreSQL server: the embedded binaries (no Docker) or, with the Docker backing, a Testcontainers container.
 * Its superuser is {@value #USER} with password {@value #PASSWORD}; databases are created on first use. It can be
 * stopped and started again on the same port with the same data, as an outage would.
 */
public interface Postgres extends AutoCloseable {

    String USER = "postgres";
    String PASSWORD = "postgres";

    static Builder builder() {
        return new Builder();
    }

    /** Where clients connect. */
    String host();

    int port();

    /** The JDBC URL of a database on this server (without credentials), created when missing. */
    String jdbcUrl(String database);

    /** Creates the database unless it exists. */
    void createDatabase(String database);

    /** The datasource settings of a Quarkus service using a database on this server (created when missing). */
    default Map<String, String> datasource(String database) {
        return Map.of(
                "quarkus.datasource.jdbc.url", jdbcUrl(database),
                "quarkus.datasource.username", USER,
                "quarkus.datasource.password", PASSWORD);
    }

    /** A connection to a database on this server (created when missing), as its superuser. */
    default Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), USER, PASSWORD);
    }

    boolean isRunning();

    /** Stops the server, keeping its port and data for {@link #start()}; clients lose their connections. */
    void stop();

    /** Starts a stopped server again on the same port with the same data. */
    void start();

    /** Stops the server for good; a throw-away data directory is deleted. */
    @Override
    void close();

    /** What to start; {@link #start()} starts it. */
    final class Builder {
        int port;
        Path dataDirectory;
        boolean statementStatistics;
        Backing backing;

        private Builder() {
        }

        /** The port to listen on; 0 (the default) picks a free one, kept across {@link Postgres#stop()}. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * Where the data lives, created when missing and kept after {@link Postgres#close()} (an existing cluster is
         * used as it is). Without one, the data goes to a throw-away directory. Embedded backing only.
         */
        public Builder dataDirectory(Path dataDirectory) {
            this.dataDirectory = dataDirectory;
            return this;
        }

        /** Loads pg_stat_statements (the bench counts the statements a step costs); it costs every statement a little. */
        public Builder statementStatistics(boolean on) {
            this.statementStatistics = on;
            return this;
        }

        /** The backing; by default {@link Backing#selected()}. */
        public Builder backing(Backing backing) {
            this.backing = backing;
            return this;
        }

        public Postgres start() {
            Backing chosen = backing != null ? backing : Backing.selected();
            return chosen == Backing.DOCKER ? DockerPostgres.start(this) : EmbeddedPostgresServer.start(this);
        }
    }
}
