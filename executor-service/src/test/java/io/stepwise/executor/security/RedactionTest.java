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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a cluster answers and what a command prints end up in step messages, Kafka events and the planner's audit:
 * the executor takes every secret it resolved, and anything that looks like a credential, out of them first, in the
 * ledger (one place), so that no path forgets. Here a cluster's error body and a command's output both echo the
 * resolved secret and an {@code Authorization: Bearer x} line.
 */
@QuarkusTest
@QuarkusTestResource(SimulatorResource.class)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
class RedactionTest {

    private static final String ECHO = "you sent Authorization: Bearer x\nand the key " + SimulatorResource.REDACT_KEY
            + "\u0007 password=hunter2";

    private static StepTopic topic;

    @BeforeAll
    static void connect() {
        topic = new StepTopic();
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        topic.close();
    }

    @Test
    void aClustersErrorBodyReachesNoMessageWithTheSecretOrItsAuthorizationLine() throws Exception {
        String body = "{\"error\":[{\"message\":" + new com.fasterxml.jackson.databind.ObjectMapper()
                .writeValueAsString(ECHO + " " + "padding ".repeat(100)) + "}]}";
        try (Listener cluster = Listener.on("127.0.0.1", r -> Listener.Answer.of(422, body))) {
            StepRequested step = Steps.step("redact-w1", Product.WEAVIATE, StepKind.BACKUP, null, new ClusterConnection(
                    cluster.url(), DeploymentKind.DOCKER, null, null, null, SimulatorResource.REDACT_REF,
                    Map.of("backupBackend", "s3")));

            StepStatus end = Steps.run(topic, step);

            assertThat(end.state()).isEqualTo(StepState.FAILED);
            assertThat(cluster.received()).as("the bound secret was sent").isNotEmpty()
                    .allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer " + SimulatorResource.REDACT_KEY));
            assertThat(end.message()).contains("HTTP 422").contains("[redacted]").doesNotContain("padding ".repeat(30));
            assertRedacted(step);
        }
    }

    @Test
    void aCommandsOutputReachesNoMessageWithTheSecretOrItsAuthorizationLine() {
        // the pachctl stand-in prints what pachd answered when it fails, as pachctl does
        try (Listener pachd = Listener.on("127.0.0.1", r -> Listener.Answer.of(500, ECHO))) {
            StepRequested step = Steps.step("redact-p1", Product.PACHYDERM, StepKind.VERIFY, "1.9.12",
                    new ClusterConnection(pachd.url() + "/clusters/redact-p1", DeploymentKind.COMMAND, null, null, null,
                            SimulatorResource.REDACT_REF, Map.of()));

            StepStatus end = Steps.run(topic, step);

            assertThat(end.state()).isEqualTo(StepState.FAILED);
            assertThat(pachd.received()).as("pachctl reached the listener, which echoed the secret").isNotEmpty();
            assertThat(end.message()).contains("pachctl").contains("[redacted]");
            assertRedacted(step);
        }
    }

    /** Neither the secret, nor the bearer token, nor the password, in any event, the ledger row or the outbox. */
    private static void assertRedacted(StepRequested step) {
        List<String> texts = new ArrayList<>();
        Steps.statuses(topic, step).forEach(s -> texts.add(s.message()));
        texts.add(Steps.ledgerMessage(step));
        texts.addAll(Steps.outboxPayloads(step));
        assertThat(texts).hasSizeGreaterThanOrEqualTo(3).allSatisfy(text -> assertThat(text)
                .doesNotContain(SimulatorResource.REDACT_KEY).doesNotContain("Bearer x").doesNotContain("hunter2")
                .doesNotContain("\u0007"));
    }
}
