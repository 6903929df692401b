package io.stepwise.testing;

import io.stepwise.infrastructure.Postgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * A service's database as an earlier release left it, then upgraded the way the service upgrades it: to test that
 * a migration change works on existing databases, not only on new ones.
 */
public final class Migrations {

    private Migrations() {
    }

    /**
     * Creates {@code database} on the shared server with the service's versioned migrations as released: those in
     * {@code migrations} (its {@code src/main/resources/db/migration}), each replaced by its released text where
     * {@code released} holds one.
     */
    public static void applyReleased(String database, Path migrations, Path released) {
        Path dir;
        try {
            dir = Files.createTempDirectory("released-migrations-");
            for (Path source : List.of(migrations, released)) {
                try (Stream<Path> files = Files.list(source)) {
                    for (Path file : files.filter(f -> f.getFileName().toString().matches("V.+__.+\\.sql")).toList()) {
                        Files.copy(file, dir.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Flyway.configure()
                .dataSource(PostgresResource.jdbcUrl(database), Postgres.USER, Postgres.PASSWORD)
                .locations("filesystem:" + dir)
                .load()
                .migrate();
    }

    /**
     * Migrates {@code database} on the shared server as the service does at start: with its own Flyway configuration
     * (locations, callbacks and the migration files it was built with), on another database.
     */
    public static MigrateResult applyCurrent(String database, Flyway service) {
        return as(database, service).migrate();
    }

    /** The service's Flyway, on {@code database} of the shared server. */
    public static Flyway as(String database, Flyway service) {
        return Flyway.configure()
                .configuration(service.getConfiguration())
                .dataSource(PostgresResource.jdbcUrl(database), Postgres.USER, Postgres.PASSWORD)
                .load();
    }

    /** A table's columns (name, type, length, nullability, default) and indexes, to compare two databases' copies. */
    public static List<String> shape(String database, String table) throws SQLException {
        List<String> shape = new ArrayList<>();
        try (Connection c = PostgresResource.connect(database); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select column_name, data_type, character_maximum_length, is_nullable,"
                    + " column_default from information_schema.columns where table_name = '" + table + "'"
                    + " order by ordinal_position")) {
                while (rs.next()) {
                    shape.add(rs.getString(1) + " " + rs.getString(2) + "(" + rs.getString(3) + ") nullable="
                            + rs.getString(4) + " default=" + rs.getString(5));
                }
            }
            try (ResultSet rs = s.executeQuery("select indexdef from pg_indexes where tablename = '" + table + "'"
                    + " order by indexname")) {
                while (rs.next()) {
                    shape.add(rs.getString(1));
                }
            }
        }
        return shape;
    }
}
