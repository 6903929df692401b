package io.stepwise.executor.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stepwise.executor.support.Listener;
import io.stepwise.executor.support.SimulatorResource;
import io.stepwise.executor.support.StepTopic;
import io.stepwise.executor.support.Steps;
import io.stepwise.model.ClusterConnection;
import io.stepwise.model.DeploymentKind;
import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import io.stepwise.model.StepState;
import io.stepwise.model.StepStatus;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A cluster's credentialsRef names a secret of the executor's own store, bound to the clusters that may use it, and
 * nothing else: registering a cluster that points at a listener of one's own and names the executor's database
 * password, an environment variable, or another cluster's secret, gets its step failed before anything is sent.
 */
@QuarkusTest
@QuarkusTestResource(SimulatorResource.class)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
class SecretReferencesTest {

    /** What a Weaviate VERIFY of 1.26.18 wants to see: one node, healthy, at the version. */
    static final String NODES = "{\"nodes\":[{\"name\":\"n0\",\"status\":\"HEALTHY\",\"version\":\"1.26.18\"}]}";

    private static StepTopic topic;

    @BeforeAll
    static void connect() {
        topic = new StepTopic();
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        topic.close();
    }

    static StepRequested verify(String clusterId, String endpoint, String credentialsRef, Map<String, String> labels) {
        return Steps.step(clusterId, Product.WEAVIATE, StepKind.VERIFY, "1.26.18", new ClusterConnection(endpoint,
                DeploymentKind.DOCKER, null, null, null, credentialsRef, Map.of(), labels));
    }

    @Test
    void aClusterNamingTheExecutorsDatabasePasswordFailsNamingTheReferenceAndTheListenerHearsNothing() {
        String password = ConfigProvider.getConfig().getValue("quarkus.datasource.password", String.class);
        try (Listener attacker = Listener.recording()) {
            StepRequested step = verify("exfil-config", attacker.url(), "config:quarkus.datasource.password", Map.of());

            StepStatus end = Steps.run(topic, step);

            assertThat(end.state()).isEqualTo(StepState.FAILED);
            assertThat(end.message()).contains("config:quarkus.datasource.password").contains("nothing was sent")
                    .doesNotContain(password);
            assertThat(Steps.ledgerMessage(step)).contains("config:quarkus.datasource.password");
            assertThat(attacker.received()).as("requests the attacker's listener received").isEmpty();
        }
    }

    @Test
    void aClusterNamingAnEnvironmentVariableFailsNamingTheReferenceAndTheListenerHearsNothing() {
        try (Listener attacker = Listener.recording()) {
            StepRequested step = verify("exfil-env", attacker.url(), "env:PATH", Map.of());

            StepStatus end = Steps.run(topic, step);

            assertThat(end.state()).isEqualTo(StepState.FAILED);
            assertThat(end.message()).contains("env:PATH").doesNotContain(System.getenv("PATH"));
            assertThat(attacker.received()).isEmpty();
        }
    }

    @Test
    void aSecretBoundToOtherClustersByIdIsRefusedBeforeAnyRequest() {
        try (Listener attacker = Listener.recording()) {
            // the test key serves clusters auth* and bound-* only
            StepRequested step = verify("intruder-1", attacker.url(), SimulatorResource.API_KEY_REF, Map.of());

            StepStatus end = Steps.run(topic, step);

            assertThat(end.state()).isEqualTo(StepState.FAILED);
            assertThat(end.message()).contains("intruder-1 may not use").contains(SimulatorResource.API_KEY_REF)
                    .doesNotContain(SimulatorResource.API_KEY);
            assertThat(attacker.received()).isEmpty();
        }
    }

    @Test
    void aSecretBoundToOtherClustersBySelectorIsRefusedBeforeAnyRequest() {
        try (Listener attacker = Listener.recording()) {
            // the labelled key serves team=blue clusters in prod or staging only
            StepRequested step = verify("intruder-2", attacker.url(), SimulatorResource.LABELLED_REF,
                    Map.of("team", "red", "env", "prod"));

            StepStatus end = Steps.run(topic, step);

            assertThat(end.state()).isEqualTo(StepState.FAILED);
            assertThat(end.message()).contains("do not match").contains(SimulatorResource.LABELLED_SELECTOR)
                    .doesNotContain(SimulatorResource.LABELLED_KEY);
            assertThat(attacker.received()).isEmpty();
        }
    }

    @Test
    void aBoundSecretIsSentByIdBySelectorAndFromTheSecretsDirectory() {
        try (Listener cluster = Listener.on("127.0.0.1", r -> Listener.Answer.of(200, NODES))) {
            StepRequested byId = verify("bound-1", cluster.url(), SimulatorResource.API_KEY_REF, Map.of());
            StepRequested bySelector = verify("team-blue-1", cluster.url(), SimulatorResource.LABELLED_REF,
                    Map.of("team", "blue", "env", "staging"));
            StepRequested fromFile = verify("file-1", cluster.url(), SimulatorResource.FILE_REF, Map.of());

            StepStatus[] ends = {Steps.run(topic, byId), Steps.run(topic, bySelector), Steps.run(topic, fromFile)};

            assertThat(ends).allSatisfy(end -> assertThat(end.state()).as(end.message()).isEqualTo(StepState.SUCCEEDED));
            assertThat(cluster.received()).extracting(r -> r.header("Authorization")).containsOnly(
                    "Bearer " + SimulatorResource.API_KEY, "Bearer " + SimulatorResource.LABELLED_KEY,
                    "Bearer " + SimulatorResource.FILE_KEY).hasSizeGreaterThanOrEqualTo(3);
            assertThat(cluster.received()).extracting(r -> r.header("Authorization")).contains(
                    "Bearer " + SimulatorResource.API_KEY, "Bearer " + SimulatorResource.LABELLED_KEY,
                    "Bearer " + SimulatorResource.FILE_KEY);
        }
    }
}
