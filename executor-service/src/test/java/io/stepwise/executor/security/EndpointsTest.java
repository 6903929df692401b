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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The executor calls https endpoints, and plain http only on hosts its allow-list names (the tests' list is the
 * simulator's: 127.0.0.1 and localhost). Metadata and link-local addresses are refused before any connection, and a
 * redirect is never followed: the API key would go with it to a host nobody checked.
 */
@QuarkusTest
@QuarkusTestResource(SimulatorResource.class)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
class EndpointsTest {

    private static StepTopic topic;

    @BeforeAll
    static void connect() {
        topic = new StepTopic();
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        topic.close();
    }

    private static StepRequested verify(String clusterId, String endpoint, String credentialsRef) {
        return Steps.step(clusterId, Product.WEAVIATE, StepKind.VERIFY, "1.26.18", new ClusterConnection(endpoint,
                DeploymentKind.DOCKER, null, null, null, credentialsRef, Map.of()));
    }

    /** Refused before any connection is opened: nothing is ever sent to the metadata address (none listens here). */
    @Test
    void theCloudMetadataAddressIsRefusedWhateverTheSchemeAndByName() {
        StepStatus plain = Steps.run(topic, verify("meta-1", "http://169.254.169.254/", null));
        StepStatus secure = Steps.run(topic, verify("meta-2", "https://169.254.169.254/latest/meta-data", null));
        StepStatus byName = Steps.run(topic, verify("meta-3", "https://metadata.google.internal/", null));
        StepStatus pachd = Steps.run(topic, Steps.step("meta-4", Product.PACHYDERM, StepKind.VERIFY, "1.9.12",
                new ClusterConnection("169.254.169.254:650", DeploymentKind.COMMAND, null, null, null, null, Map.of())));

        for (StepStatus end : new StepStatus[] {plain, secure, byName, pachd}) {
            assertThat(end.state()).isEqualTo(StepState.FAILED);
            assertThat(end.message()).contains("is refused").contains("metadata").contains("nothing was sent");
        }
    }

    @Test
    void aPlainHttpEndpointOutsideTheAllowListIsRefusedAndHearsNothing() {
        // 127.0.0.2 is loopback too, but not in the tests' allow-list
        try (Listener attacker = Listener.on("127.0.0.2", r -> Listener.Answer.of(200, "{}"))) {
            StepStatus end = Steps.run(topic, verify("plain-1", attacker.url(), null));

            assertThat(end.state()).isEqualTo(StepState.FAILED);
            assertThat(end.message()).contains(attacker.url()).contains("is refused")
                    .contains("stepwise.executor.allowed-endpoints");
            assertThat(attacker.received()).isEmpty();
        }
    }

    @Test
    void aRedirectToAnotherHostIsNotFollowedAndTheKeyStaysHome() {
        try (Listener elsewhere = Listener.on("127.0.0.2", r -> Listener.Answer.of(200, "{}"));
             Listener cluster = Listener.on("127.0.0.1", r -> new Listener.Answer(302,
                     Map.of("Location", elsewhere.url() + r.path()), ""))) {
            StepStatus end = Steps.run(topic, verify("bound-redirect", cluster.url(), SimulatorResource.API_KEY_REF));

            assertThat(end.state()).isEqualTo(StepState.FAILED);
            assertThat(end.message()).contains("HTTP 302").contains("does not follow")
                    .doesNotContain(SimulatorResource.API_KEY);
            assertThat(cluster.received()).isNotEmpty();
            assertThat(elsewhere.received()).as("requests that followed the redirect").isEmpty();
        }
    }
}
