package io.stepwise.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stepwise.infrastructure.Backing;
import io.stepwise.infrastructure.Postgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The packaged services, started as a deployment starts them ({@code java -jar}, the {@code prod} profile) with the
 * built-in database password or an empty one, refuse to start and say which setting to change. Their database is
 * there and takes any password (the embedded server trusts local connections), so the refusal is the services' own,
 * not a failed login; no broker is, which nothing before the refusal needs.
 */
class DefaultPasswordRefusalTest {

    private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).resolve("../..").toAbsolutePath().normalize();

    private static Postgres postgres;

    @BeforeAll
    static void startPostgres() {
        postgres = Postgres.builder().backing(Backing.EMBEDDED).start();
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @ParameterizedTest(name = "{0} with password ''{1}''")
    @CsvSource({"planner-service,stepwise", "planner-service,''", "executor-service,stepwise", "executor-service,''"})
    void aPackagedServiceRefusesToStartWithTheDefaultOrAnEmptyPassword(String module, String password,
                                                                        @TempDir Path dir) throws IOException {
        Path jar = ROOT.resolve(module + "/target/quarkus-app/quarkus-run.jar");
        assertThat(jar).as("the packaged " + module + " (built before this module in the reactor)").exists();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx192m",
                "-Dquarkus.datasource.jdbc.url=" + postgres.jdbcUrl(module.replace("-service", "_refusal")),
                "-Dquarkus.datasource.username=" + Postgres.USER,
                "-Dquarkus.datasource.password=" + password,
                "-Dkafka.bootstrap.servers=127.0.0.1:9",
                "-Dquarkus.http.port=0"));
        if (module.equals("planner-service")) {
            command.addAll(List.of("-Dstepwise.security.enabled=false", "-Dquarkus.oidc.tenant-enabled=false"));
        }
        command.addAll(List.of("-jar", jar.toString()));
        Path output = dir.resolve("output.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().remove("STEPWISE_DB_PASSWORD");
        builder.environment().remove("QUARKUS_PROFILE");
        Process service = builder.start();
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> !service.isAlive());
            String log = Files.readString(output);
            assertThat(service.exitValue()).as(log).isNotZero();
            // an empty value falls back to the built-in default (${STEPWISE_DB_PASSWORD:stepwise}): refused as that
            assertThat(log).containsAnyOf("database password is the default one", "database password is empty")
                    .contains("set STEPWISE_DB_PASSWORD").contains("does not start without one");
        } finally {
            service.destroyForcibly();
        }
    }
}
