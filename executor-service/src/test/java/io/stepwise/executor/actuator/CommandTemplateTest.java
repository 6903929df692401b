package io.stepwise.executor.actuator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepwise.executor.handler.StepFailedException;
import io.stepwise.model.ClusterConnection;
import io.stepwise.model.DeploymentKind;
import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandTemplateTest {

    private final StepRequested step = new StepRequested("s-1", "r-1", "prod-eu-1", 3, 1, Product.WEAVIATE,
            StepKind.UPGRADE, "1.26.18", Map.of(), new ClusterConnection("http://x", DeploymentKind.COMMAND, "weaviate",
                    "weaviate", "weaviate-prod", null, Map.of("chart", "weaviate/weaviate")));

    @Test
    void fillsPlaceholdersPerArgument() {
        var args = CommandTemplate.render(
                "helm upgrade {release} {extra.chart} --namespace {namespace} --reuse-values --set image.tag={version}",
                CommandTemplate.values(step, "1.26.18"));
        assertThat(args).containsExactly("helm", "upgrade", "weaviate-prod", "weaviate/weaviate", "--namespace", "weaviate",
                "--reuse-values", "--set", "image.tag=1.26.18");
    }

    @Test
    void aValueWithSpacesOrShellCharactersStaysOneArgument() {
        var args = CommandTemplate.render("echo '{extra.note} is here' {extra.other}",
                Map.of("clusterId", "c1", "extra.note", "a; rm -rf /", "extra.other", "$(reboot)"));
        assertThat(args).containsExactly("echo", "a; rm -rf / is here", "$(reboot)");
    }

    @Test
    void everyValueIsCheckedForItsKindAndNoneMayBeAFlag() {
        String template = "kubectl delete statefulset --namespace {namespace} -- {statefulSet}";
        assertThatThrownBy(() -> CommandTemplate.render(template, Map.of("namespace", "weaviate", "statefulSet", "--all")))
                .isInstanceOf(StepFailedException.class).hasMessageContaining("'--all'").hasMessageContaining("flag");
        assertThatThrownBy(() -> CommandTemplate.render(template, Map.of("namespace", "Kube_System", "statefulSet", "w")))
                .hasMessageContaining("DNS-1123");
        assertThatThrownBy(() -> CommandTemplate.render("/opt/pachctl/{version}/pachctl", Map.of("version", "../../bin")))
                .hasMessageContaining("not a valid version");
        assertThatThrownBy(() -> CommandTemplate.render("helm upgrade -- {release} c", Map.of("release", "a b")))
                .hasMessageContaining("DNS-1123");
        assertThatThrownBy(() -> CommandTemplate.render("echo {extra.x}", Map.of("extra.x", "-rf")))
                .hasMessageContaining("flag");
        assertThatThrownBy(() -> CommandTemplate.render("echo {extra.x}", Map.of("extra.x", "a\nb")))
                .hasMessageContaining("control characters");
        assertThat(CommandTemplate.render(template, Map.of("namespace", "weaviate", "statefulSet", "weaviate-prod.eu")))
                .containsExactly("kubectl", "delete", "statefulset", "--namespace", "weaviate", "--", "weaviate-prod.eu");
    }

    @Test
    void aMissingValueFailsBeforeAnythingRuns() {
        assertThatThrownBy(() -> CommandTemplate.render("helm upgrade {release}", Map.of()))
                .isInstanceOf(StepFailedException.class)
                .hasMessageContaining("{release}");
    }

    @Test
    void imageTagIsReplacedKeepingRegistryPort() {
        assertThat(KubernetesActuator.withTag("registry:5000/semitechnologies/weaviate:1.24.26", "1.25.34"))
                .isEqualTo("registry:5000/semitechnologies/weaviate:1.25.34");
        assertThat(KubernetesActuator.withTag("semitechnologies/weaviate", "1.25.34"))
                .isEqualTo("semitechnologies/weaviate:1.25.34");
        assertThat(KubernetesActuator.withTag("cr.weaviate.io/semitechnologies/weaviate:1.24.1@sha256:abc", "1.25.0"))
                .isEqualTo("cr.weaviate.io/semitechnologies/weaviate:1.25.0");
    }
}
