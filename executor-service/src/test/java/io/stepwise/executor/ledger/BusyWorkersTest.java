package io.stepwise.executor.ledger;

import static io.stepwise.executor.support.SimulatorResource.simulator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.stepwise.executor.support.SimulatorResource;
import io.stepwise.executor.support.TestClusters;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import io.stepwise.model.StepState;
import io.stepwise.model.Topics;
import io.stepwise.simulator.ClusterSpec;
import io.stepwise.simulator.fault.Fault;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A step is reported started when a worker really starts it. With a worker free, accepting a step and starting it
 * are one transaction; with every worker busy, the step is accepted at once but waits, and its start time is when
 * a worker took it, not when it arrived.
 */
@QuarkusTest
@TestProfile(BusyWorkersTest.OneWorker.class)
@QuarkusTestResource(SimulatorResource.class)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
class BusyWorkersTest {

    public static class OneWorker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stepwise.executor.workers", "1");
        }
    }

    @Inject
    Ledger ledger;

    @Inject
    ObjectMapper json;

    @Test
    void aStepThatArrivesWhileEveryWorkerIsBusyStartsWhenOneIsFree() throws Exception {
        var slowCluster = simulator().createCluster(ClusterSpec.weaviate("busy-slow", "1.30.23", 1, "kubernetes"));
        var nextCluster = simulator().createCluster(ClusterSpec.weaviate("busy-next", "1.30.23", 1, "kubernetes"));
        simulator().injectFault(Fault.slowApi("busy-slow", 1500));
        StepRequested slow = TestClusters.of(slowCluster).step(StepKind.VERIFY, "1.30.23", Map.of("expectedNodes", 1));
        StepRequested next = TestClusters.of(nextCluster).step(StepKind.VERIFY, "1.30.23", Map.of("expectedNodes", 1));

        Properties p = new Properties();
        p.put("bootstrap.servers", KafkaResource.bootstrapServers());
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(Topics.STEPS, slow.clusterId(), json.writeValueAsString(slow))).get();
            await().atMost(Duration.ofSeconds(30)).until(() -> stateOf(slow) == StepState.RUNNING);
            producer.send(new ProducerRecord<>(Topics.STEPS, next.clusterId(), json.writeValueAsString(next))).get();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> stateOf(next) == StepState.SUCCEEDED);

        StepExecution first = execution(slow);
        StepExecution second = execution(next);
        assertThat(first.state).isEqualTo(StepState.SUCCEEDED);
        assertThat(first.startedAt).as("a free worker: started at once").isBefore(second.receivedAt);
        assertThat(second.receivedAt).as("accepted while the only worker was busy").isBefore(first.finishedAt);
        assertThat(second.startedAt).as("started when the worker was free").isAfterOrEqualTo(first.finishedAt);
    }

    private StepState stateOf(StepRequested step) {
        StepExecution e = execution(step);
        return e == null ? null : e.state;
    }

    private StepExecution execution(StepRequested step) {
        return QuarkusTransaction.requiringNew().call(() ->
                ledger.findById(new StepExecution.Key(step.stepId(), step.attempt())));
    }
}
