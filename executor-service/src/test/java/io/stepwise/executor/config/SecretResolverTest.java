package io.stepwise.executor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.stepwise.executor.handler.StepFailedException;
import io.stepwise.model.ClusterConnection;
import io.stepwise.model.DeploymentKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The secret store's rules without an application: references, bindings, where a value comes from. */
class SecretResolverTest {

    private static SmallRyeConfig config(Map<String, String> properties, Map<String, String> environment) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 400))
                .withSources(new EnvConfigSource(environment, 300))
                .build();
    }

    private static ClusterConnection cluster(String ref, Map<String, String> labels) {
        return new ClusterConnection("https://w.example", DeploymentKind.KUBERNETES, "weaviate", "weaviate", null, ref,
                Map.of(), labels);
    }

    @Test
    void onlySecretReferencesAreAcceptedAndNeverAValue() {
        SecretResolver secrets = new SecretResolver(config(Map.of("quarkus.datasource.password", "db-pass-123"), Map.of()),
                Optional.empty());
        for (String ref : new String[] {"config:quarkus.datasource.password", "env:PATH", "quarkus.datasource.password",
                "secret:../etc/passwd", "secret:UPPER", "secret:"}) {
            assertThatThrownBy(() -> secrets.resolve("c1", cluster(ref, Map.of()))).as(ref)
                    .isInstanceOf(StepFailedException.class).hasMessageContaining(ref)
                    .hasMessageContaining("nothing was sent").message().doesNotContain("db-pass-123");
        }
        assertThat(secrets.resolve("c1", cluster(null, Map.of()))).isEmpty();
    }

    @Test
    void aSecretServesOnlyTheClustersItIsBoundToByIdAndBySelector() {
        SecretResolver secrets = new SecretResolver(config(Map.of(
                "stepwise.executor.secrets.\"eu.key\".value", "eu-value-1",
                "stepwise.executor.secrets.\"eu.key\".clusters", "prod-eu-*, canary",
                "stepwise.executor.secrets.\"eu.key\".selector", "env=prod",
                "stepwise.executor.secrets.loose.value", "loose-value"), Map.of()), Optional.empty());

        assertThat(secrets.resolve("prod-eu-1", cluster("secret:eu.key", Map.of("env", "prod")))).contains("eu-value-1");
        assertThat(secrets.resolve("canary", cluster("secret:eu.key", Map.of("env", "prod")))).contains("eu-value-1");
        assertThatThrownBy(() -> secrets.resolve("prod-us-1", cluster("secret:eu.key", Map.of("env", "prod"))))
                .hasMessageContaining("prod-us-1 may not use").hasMessageContaining("prod-eu-*");
        assertThatThrownBy(() -> secrets.resolve("prod-eu-2", cluster("secret:eu.key", Map.of("env", "dev"))))
                .hasMessageContaining("do not match").hasMessageContaining("env=prod");
        assertThatThrownBy(() -> secrets.resolve("prod-eu-2", cluster("secret:loose", Map.of())))
                .hasMessageContaining("bound to no cluster");
        assertThat(secrets.knownValues()).contains("eu-value-1", "loose-value");
    }

    @Test
    void valuesComeFromTheEnvironmentFormOrTheSecretsDirectory(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("from-file"), "file-value\n");
        Files.writeString(dir.resolve("outside"), "x");
        SecretResolver secrets = new SecretResolver(config(Map.of(
                "stepwise.executor.secrets.\"from-file\".clusters", "*",
                "stepwise.executor.secrets.\"missing\".clusters", "*"), Map.of(
                "STEPWISE_EXECUTOR_SECRETS__PROD_EU_1__VALUE", "env-value",
                "STEPWISE_EXECUTOR_SECRETS__PROD_EU_1__CLUSTERS", "prod-eu-1")), Optional.of(dir));

        assertThat(secrets.resolve("prod-eu-1", cluster("secret:prod-eu-1", Map.of()))).contains("env-value");
        assertThat(secrets.resolve("any", cluster("secret:from-file", Map.of()))).contains("file-value");
        assertThatThrownBy(() -> secrets.resolve("any", cluster("secret:missing", Map.of())))
                .hasMessageContaining("resolves to nothing").hasMessageContaining(dir.resolve("missing").toString());
        assertThat(secrets.knownValues()).contains("file-value");
    }

    @Test
    void globsMatchWholeIds() {
        assertThat(SecretResolver.glob("prod-*", "prod-eu-1")).isTrue();
        assertThat(SecretResolver.glob("prod-*", "xprod-eu-1")).isFalse();
        assertThat(SecretResolver.glob("*-eu-*", "prod-eu-1")).isTrue();
        assertThat(SecretResolver.glob("a.b", "axb")).isFalse();
        assertThat(SecretResolver.glob("*", "anything")).isTrue();
    }
}
