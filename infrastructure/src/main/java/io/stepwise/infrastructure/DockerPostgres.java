package io.stepwise.infrastructure;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/** PostgreSQL in a Testcontainers container (the Docker backing), the image docker-compose.yml runs. */
final class DockerPostgres implements Postgres {

    static final DockerImageName IMAGE = DockerImageName.parse("postgres:16.10");
    private static final int POSTGRES_PORT = 5432;

    private final PostgreSQLContainer container;
    private final int port;
    private boolean running;

    private DockerPostgres(PostgreSQLContainer container, int port) {
        this.container = container;
        this.port = port;
    }

    static Postgres start(Postgres.Builder settings) {
        if (settings.dataDirectory != null) {
            throw new IllegalArgumentException("a kept Postgres data directory needs the embedded backing");
        }
        int port = settings.port == 0 ? Ports.free() : settings.port;
        // the embedded server's settings: no fsync, asynchronous commit, room for every test's pools
        List<String> command = new ArrayList<>(List.of("postgres", "-c", "fsync=off", "-c", "synchronous_commit=off",
                "-c", "max_connections=300", "-c", "timezone=UTC"));
        if (settings.statementStatistics) {
            command.addAll(List.of("-c", "shared_preload_libraries=pg_stat_statements",
                    "-c", "pg_stat_statements.track_utility=off"));
        }
        PostgreSQLContainer container = new PostgreSQLContainer(IMAGE)
                .withDatabaseName("postgres").withUsername(USER).withPassword(PASSWORD);
        container.setCommand(command.toArray(String[]::new));
        DockerSupport.bind(container, POSTGRES_PORT, port);
        container.start();
        DockerPostgres postgres = new DockerPostgres(container, port);
        postgres.running = true;
        Runtime.getRuntime().addShutdownHook(new Thread(postgres::close, "postgres-container-closer"));
        return postgres;
    }

    @Override
    public String host() {
        return container.getHost();
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String jdbcUrl(String database) {
        createDatabase(database);
        return Databases.url(host(), port, database);
    }

    @Override
    public void createDatabase(String database) {
        Databases.create(host(), port, database);
    }

    @Override
    public synchronized boolean isRunning() {
        return running;
    }

    @Override
    public synchronized void stop() {
        if (running) {
            DockerSupport.stop(container);
            running = false;
        }
    }

    @Override
    public synchronized void start() {
        if (!running) {
            DockerSupport.start(container, this::answers, "Postgres");
            running = true;
        }
    }

    private boolean answers() {
        try (Connection c = DriverManager.getConnection(Databases.url(host(), port, "postgres"), USER, PASSWORD)) {
            return c.isValid(2);
        } catch (SQLException notYet) {
            return false;
        }
    }

    @Override
    public synchronized void close() {
        running = false;
        container.stop();
    }

    @Override
    public String toString() {
        return "Postgres container " + IMAGE + " on port " + port;
    }
}
