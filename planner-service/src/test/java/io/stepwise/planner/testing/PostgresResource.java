package io.stepwise.planner.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** A real PostgreSQL server (embedded binaries, no Docker), started once per test JVM. */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedPostgres postgres;

    @Override
    public synchronized Map<String, String> start() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded Postgres", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(PostgresResource::closeQuietly));
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", postgres.getJdbcUrl("postgres", "postgres"),
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres");
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
