package io.stepwise.executor.messaging;

import static io.stepwise.executor.support.SimulatorResource.simulator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stepwise.executor.support.SimulatorResource;
import io.stepwise.executor.support.TestClusters;
import io.stepwise.model.CloudEventHeaders;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import io.stepwise.model.StepState;
import io.stepwise.model.StepStatus;
import io.stepwise.model.Topics;
import io.stepwise.simulator.ClusterSpec;
import io.stepwise.simulator.ledger.EffectType;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The executor's side of the pipeline over the real broker and real Postgres: a step request on
 * {@code stepwise.steps} runs once against the simulated cluster and its statuses come back on
 * {@code stepwise.step-status}; a redelivered request re-sends the result without running again; a poison
 * record is parked in the dead-letter topic and consumption goes on.
 */
@QuarkusTest
@QuarkusTestResource(SimulatorResource.class)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
class StepPipelineTest {

    private static KafkaProducer<String, String> producer;
    private static KafkaConsumer<String, String> consumer;
    private static final List<ConsumerRecord<String, String>> statuses = new CopyOnWriteArrayList<>();
    private static Thread reader;
    private static volatile boolean reading = true;

    @Inject
    ObjectMapper json;

    @BeforeAll
    static void connect() {
        producer = KafkaResource.producer();
        consumer = KafkaResource.consumer("status-reader", "earliest");
        reader = new Thread(() -> {
            consumer.subscribe(List.of(Topics.STEP_STATUS, "stepwise.steps.dlq"));
            while (reading) {
                consumer.poll(Duration.ofMillis(100)).forEach(statuses::add);
            }
            consumer.close();
        });
        reader.start();
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        reading = false;
        reader.join(5_000);
        producer.close();
    }

    private void send(StepRequested step) throws Exception {
        producer.send(new ProducerRecord<>(Topics.STEPS, step.clusterId(), json.writeValueAsString(step))).get();
    }

    private List<StepStatus> statusesOf(String stepId) {
        return statuses.stream().filter(StepPipelineTest::isStepStatus)
                .map(r -> read(r.value())).filter(s -> s.stepId().equals(stepId)).toList();
    }

    private StepStatus read(String value) {
        try {
            return json.readValue(value, StepStatus.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A step's status, not another event of the topic (a probe's result). */
    private static boolean isStepStatus(ConsumerRecord<String, String> record) {
        String type = header(record, CloudEventHeaders.TYPE);
        return record.topic().equals(Topics.STEP_STATUS) && type != null && type.startsWith("io.stepwise.step.");
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void stepRunsOnceAndItsResultIsReSentOnRedelivery() throws Exception {
        var cluster = simulator().createCluster(ClusterSpec.weaviate("pipe-1", "1.25.3", 3, "kubernetes")
                .withCollections(Map.of("Article", 100L)));
        StepRequested backup = TestClusters.of(cluster).step(StepKind.BACKUP, null, Map.of("backupId", "pipe-1-b1"));

        send(backup);
        await().atMost(Duration.ofSeconds(30)).until(() -> statusesOf(backup.stepId()).stream()
                .anyMatch(s -> s.state() == StepState.SUCCEEDED));
        assertThat(statusesOf(backup.stepId()).get(0).state()).isEqualTo(StepState.RUNNING);

        send(backup);
        await().atMost(Duration.ofSeconds(30)).until(() -> statusesOf(backup.stepId()).stream()
                .filter(s -> s.state() == StepState.SUCCEEDED).count() == 2);

        assertThat(simulator().effects("pipe-1")).filteredOn(e -> e.type() == EffectType.BACKUP_CREATED)
                .as("one backup, taken by the first delivery").hasSize(1);
        List<String> successIds = statuses.stream().filter(StepPipelineTest::isStepStatus)
                .filter(r -> read(r.value()).stepId().equals(backup.stepId()))
                .filter(r -> read(r.value()).state() == StepState.SUCCEEDED)
                .map(r -> header(r, CloudEventHeaders.ID)).toList();
        // the re-sent result carries the same event id, so the planner applies it once
        assertThat(successIds).hasSize(2);
        assertThat(successIds.get(0)).isNotNull().isEqualTo(successIds.get(1));
    }

    @Test
    void eachStatusEventNamesItsTypeAndAStepsStartAndEndKeepTheirIds() throws Exception {
        var cluster = simulator().createCluster(ClusterSpec.weaviate("pipe-4", "1.30.23", 1, "kubernetes"));
        TestClusters steps = TestClusters.of(cluster);
        StepRequested verify = steps.step(StepKind.VERIFY, "1.30.23", Map.of("expectedNodes", 1));
        StepRequested wrongVersion = steps.step(StepKind.VERIFY, "1.30.22", Map.of("expectedNodes", 1));

        send(verify);
        send(wrongVersion);
        await().atMost(Duration.ofSeconds(30)).until(() -> statusesOf(verify.stepId()).stream()
                .anyMatch(s -> s.state() == StepState.SUCCEEDED) && statusesOf(wrongVersion.stepId()).stream()
                .anyMatch(s -> s.state() == StepState.FAILED));

        assertEventsOf(verify, "succeeded", StepStatus.TYPE_SUCCEEDED);
        assertEventsOf(wrongVersion, "failed", StepStatus.TYPE_FAILED);
    }

    private void assertEventsOf(StepRequested step, String end, String endType) {
        List<ConsumerRecord<String, String>> events = statuses.stream()
                .filter(r -> isStepStatus(r) && read(r.value()).stepId().equals(step.stepId()))
                .toList();
        String attempt = step.stepId() + ":" + step.attempt();
        assertThat(events.get(0)).extracting(r -> header(r, CloudEventHeaders.ID), r -> header(r, CloudEventHeaders.TYPE))
                .containsExactly(attempt + ":started", StepStatus.TYPE_STARTED);
        assertThat(events.get(events.size() - 1))
                .extracting(r -> header(r, CloudEventHeaders.ID), r -> header(r, CloudEventHeaders.TYPE))
                .containsExactly(attempt + ":" + end, endType);
        assertThat(events.subList(1, events.size() - 1)).allSatisfy(r -> {
            assertThat(read(r.value()).state()).isEqualTo(StepState.RUNNING);
            assertThat(header(r, CloudEventHeaders.TYPE)).isEqualTo(StepStatus.TYPE_PROGRESS);
        });
    }

    @Test
    void failedStepIsReportedWithItsReason() throws Exception {
        var cluster = simulator().createCluster(ClusterSpec.weaviate("pipe-2", "1.29.3", 3, "kubernetes"));
        StepRequested verify = TestClusters.of(cluster).step(StepKind.VERIFY, "1.30.23", Map.of("expectedNodes", 3));

        send(verify);

        await().atMost(Duration.ofSeconds(60)).until(() -> statusesOf(verify.stepId()).stream()
                .anyMatch(s -> s.state() == StepState.FAILED));
        StepStatus failed = statusesOf(verify.stepId()).stream().filter(s -> s.state() == StepState.FAILED)
                .findFirst().orElseThrow();
        assertThat(failed.message()).contains("1.30.23");
    }

    @Test
    void poisonRecordsGoToTheDeadLetterTopicWithTheirReasonAndTheStepsBesideThemRun() throws Exception {
        String poison = "{\"this is\": \"no step\" " + UUID.randomUUID();
        producer.send(new ProducerRecord<>(Topics.STEPS, "pipe-3", poison));
        var cluster = simulator().createCluster(ClusterSpec.weaviate("pipe-3", "1.30.23", 1, "kubernetes"));
        StepRequested verify = TestClusters.of(cluster).step(StepKind.VERIFY, "1.30.23", Map.of("expectedNodes", 1));
        String noRollout = json.writeValueAsString(new StepRequested(UUID.randomUUID().toString(), null,
                verify.clusterId(), 1, 1, verify.product(), StepKind.VERIFY, "1.30.23", Map.of(), verify.cluster()));
        producer.send(new ProducerRecord<>(Topics.STEPS, "pipe-3", noRollout));
        send(verify);

        await().atMost(Duration.ofSeconds(30)).until(() -> statusesOf(verify.stepId()).stream()
                .anyMatch(s -> s.state() == StepState.SUCCEEDED));
        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetter(noRollout) != null && deadLetter(poison) != null);
        assertThat(header(deadLetter(noRollout), "dead-letter-reason")).contains("rolloutId");
        assertThat(header(deadLetter(poison), "dead-letter-exception-class-name")).contains("Json");
        assertThat(header(deadLetter(poison), "dead-letter-topic")).isEqualTo(Topics.STEPS);
    }

    private ConsumerRecord<String, String> deadLetter(String value) {
        return statuses.stream().filter(r -> r.topic().equals("stepwise.steps.dlq") && value.equals(r.value()))
                .findFirst().orElse(null);
    }
}
