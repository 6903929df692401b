package io.stepwise.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the server and the token come from, and which token goes where. */
class SettingsTest {

    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>();

    private Settings resolve(Settings.Flags flags, Role role) {
        env.putIfAbsent("STEPWISE_CONFIG", dir.resolve("config.yaml").toString());
        return Settings.resolve(flags, env, dir, role);
    }

    private static Settings.Flags flags() {
        return new Settings.Flags(null, null, null, null);
    }

    @Test
    void theServerComesFromTheFlagThenTheEnvironmentThenTheConfigFileThenTheDefault() throws IOException {
        assertThat(resolve(flags(), Role.VIEWER).server()).hasToString("http://localhost:8080");

        Files.writeString(dir.resolve("config.yaml"), "server: https://stepwise.example/\n");
        assertThat(resolve(flags(), Role.VIEWER).server()).hasToString("https://stepwise.example");

        env.put("STEPWISE_URL", "https://from-env.example");
        assertThat(resolve(flags(), Role.VIEWER).server()).hasToString("https://from-env.example");
        assertThat(resolve(flags(), Role.VIEWER).serverSource()).isEqualTo("STEPWISE_URL");

        Settings flag = resolve(new Settings.Flags("http://10.0.0.7:8080", null, null, null), Role.VIEWER);
        assertThat(flag.server()).hasToString("http://10.0.0.7:8080");
        assertThat(flag.serverSource()).isEqualTo("--server");
    }

    @Test
    void theTokenComesFromTheFlagsThenTheEnvironmentThenTheConfigFile() throws IOException {
        Path tokenFile = Files.writeString(dir.resolve("token"), "from.file\n");
        Files.writeString(dir.resolve("config.yaml"), "token: from.config\n");
        assertThat(resolve(flags(), Role.VIEWER).token()).isEqualTo("from.config");

        env.put("STEPWISE_TOKEN", "from.env");
        assertThat(resolve(flags(), Role.VIEWER).token()).isEqualTo("from.env");

        Settings file = resolve(new Settings.Flags(null, null, tokenFile, null), Role.VIEWER);
        assertThat(file.token()).isEqualTo("from.file");
        assertThat(file.tokenSource()).isEqualTo("--token-file " + tokenFile).doesNotContain("from.file");

        assertThat(resolve(new Settings.Flags(null, "from.flag", tokenFile, null), Role.VIEWER).token())
                .isEqualTo("from.flag");
    }

    @Test
    void theConfigFilesTokenFileIsReadRelativeToIt() throws IOException {
        Files.writeString(dir.resolve("stepwise-token"), "relative.token");
        Files.writeString(dir.resolve("config.yaml"), "server: https://stepwise.example\ntoken-file: stepwise-token\n");

        Settings settings = resolve(flags(), Role.VIEWER);

        assertThat(settings.token()).isEqualTo("relative.token");
        assertThat(settings.tokenSource()).contains("stepwise-token").contains("config.yaml");
    }

    @Test
    void theConfigFilesTokenIsNotCarriedToAnotherServer() throws IOException {
        Files.writeString(dir.resolve("config.yaml"), "server: https://stepwise.example\ntoken: for.example\n");

        Settings elsewhere = resolve(new Settings.Flags("https://other.example", null, null, null), Role.VIEWER);

        assertThat(elsewhere.token()).isNull();
        assertThat(elsewhere.tokenSource()).contains("is for https://stepwise.example");
    }

    @Test
    void aLocalPlannerGetsTheLocalStacksTokenForTheLeastRoleTheCommandNeeds() throws IOException {
        Path tokens = Files.createDirectories(dir.resolve("checkout/.stepwise/tokens"));
        for (Role role : Role.values()) {
            Files.writeString(tokens.resolve(role.file()), "local." + role.file() + "\n");
        }
        Files.writeString(tokens.resolve("admin"), "local.admin\n");
        Settings.Flags local = new Settings.Flags("http://127.0.0.1:8080", null, null, dir.resolve("checkout"));

        assertThat(resolve(local, Role.VIEWER).token()).isEqualTo("local.viewer");
        assertThat(resolve(local, Role.OPERATOR).token()).isEqualTo("local.operator");
        assertThat(resolve(local, Role.APPROVER).token()).isEqualTo("local.approver");
        assertThat(resolve(local, Role.ADMIN).token()).isEqualTo("local.admin");
        assertThat(resolve(local, Role.OPERATOR).tokenSource())
                .isEqualTo("the local stack's operator token (" + tokens.resolve("operator") + ")");
        assertThat(resolve(new Settings.Flags(null, null, null, dir.resolve("checkout")), Role.VIEWER).token())
                .as("the default server is local").isEqualTo("local.viewer");
        assertThat(resolve(new Settings.Flags("https://stepwise.example", null, null, dir.resolve("checkout")),
                Role.VIEWER).token()).as("never sent to another machine").isNull();
    }

    @Test
    void loopbackAddressesAreLocalAndNamesOfOtherMachinesAreNot() {
        assertThat(Settings.isLocal(java.net.URI.create("http://localhost:8080"))).isTrue();
        assertThat(Settings.isLocal(java.net.URI.create("http://127.0.0.2:8080"))).isTrue();
        assertThat(Settings.isLocal(java.net.URI.create("http://[::1]:8080"))).isTrue();
        assertThat(Settings.isLocal(java.net.URI.create("https://stepwise.example"))).isFalse();
        assertThat(Settings.isLocal(java.net.URI.create("http://10.1.2.3"))).isFalse();
    }

    @Test
    void aServerThatIsNotAnHttpUrlOrATokenThatIsNotABearerTokenIsAUsageError() throws IOException {
        assertThatThrownBy(() -> resolve(new Settings.Flags("localhost:8080", null, null, null), Role.VIEWER))
                .isInstanceOfSatisfying(CliException.class, e -> {
                    assertThat(e.exitCode).isEqualTo(Exit.USAGE);
                    assertThat(e.lines.get(0)).contains("'localhost:8080' (from --server) is not an http://");
                });
        Path twoLines = Files.writeString(dir.resolve("bad"), "abc\ndef\n");
        assertThatThrownBy(() -> resolve(new Settings.Flags(null, null, twoLines, null), Role.VIEWER))
                .isInstanceOfSatisfying(CliException.class, e -> {
                    assertThat(e.exitCode).isEqualTo(Exit.USAGE);
                    assertThat(e.lines.get(0)).contains("is not a bearer token").doesNotContain("abc");
                });
        assertThatThrownBy(() -> resolve(new Settings.Flags(null, null, dir.resolve("missing"), null), Role.VIEWER))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode).isEqualTo(Exit.USAGE));
    }

    @Test
    void aConfigFileWithAnUnknownKeyIsAUsageError() throws IOException {
        Files.writeString(dir.resolve("config.yaml"), "server: https://stepwise.example\ntokn: x\n");

        assertThatThrownBy(() -> resolve(flags(), Role.VIEWER)).isInstanceOfSatisfying(CliException.class, e -> {
            assertThat(e.exitCode).isEqualTo(Exit.USAGE);
            assertThat(e.lines.get(0)).contains("has 'tokn'");
        });
    }

    @Test
    void theConfigFileIsFoundThroughTheEnvironment() {
        assertThat(Settings.configFile(Map.of(), Path.of("/home/ann")))
                .isEqualTo(Path.of("/home/ann/.config/stepwise/config.yaml"));
        assertThat(Settings.configFile(Map.of("XDG_CONFIG_HOME", "/xdg"), Path.of("/home/ann")))
                .isEqualTo(Path.of("/xdg/stepwise/config.yaml"));
        assertThat(Settings.configFile(Map.of("STEPWISE_CONFIG", "/etc/sw.yaml"), Path.of("/home/ann")))
                .isEqualTo(Path.of("/etc/sw.yaml"));
    }
}
