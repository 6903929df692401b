package io.stepwise.executor.messaging;

import static io.stepwise.executor.support.SimulatorResource.simulator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stepwise.executor.support.SimulatorResource;
import io.stepwise.executor.support.StepTopic;
import io.stepwise.executor.support.TestClusters;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import io.stepwise.model.StepState;
import io.stepwise.model.StepStatus;
import io.stepwise.model.Topics;
import io.stepwise.simulator.ClusterSpec;
import io.stepwise.simulator.fault.Fault;
import io.stepwise.simulator.fault.FaultType;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A running step with nothing new to say still reports at least every heartbeat interval (600 ms in the tests), so
 * the planner can time steps out on silence: a sync check that waits four seconds for a cluster that never syncs
 * repeats the same line rather than falling silent.
 */
@QuarkusTest
@QuarkusTestResource(SimulatorResource.class)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
class HeartbeatTest {

    @Test
    void aStepWithoutNewsReportsAtLeastEveryHeartbeatInterval() throws Exception {
        var cluster = simulator().createCluster(ClusterSpec.weaviate("heartbeat", "1.30.23", 3, "kubernetes"));
        simulator().injectFault(Fault.of("heartbeat", FaultType.SYNC_NEVER_CONVERGES));
        StepRequested sync = TestClusters.of(cluster).step(StepKind.SYNC_CHECK, null,
                Map.of("expectedNodes", 3, "timeoutSeconds", 4));

        try (StepTopic topic = new StepTopic()) {
            topic.send(sync.clusterId(), StepRequested.TYPE, sync);
            await().atMost(Duration.ofSeconds(30)).until(() -> statuses(topic, sync).stream()
                    .anyMatch(s -> s.state() == StepState.FAILED));

            List<StepStatus> statuses = statuses(topic, sync);
            assertThat(statuses.get(statuses.size() - 1).message()).contains("timed out");
            List<StepStatus> progress = statuses.stream().filter(s -> s.state() == StepState.RUNNING).toList();
            assertThat(progress.size()).as("started, and progress through four quiet seconds").isGreaterThanOrEqualTo(5);
            for (int i = 1; i < statuses.size(); i++) {
                Duration gap = Duration.between(statuses.get(i - 1).at(), statuses.get(i).at());
                assertThat(gap).as("silence between status %d and %d", i - 1, i).isLessThan(Duration.ofSeconds(2));
            }
            assertThat(progress.subList(1, progress.size())).as("the same line again, not news")
                    .extracting(StepStatus::message).containsOnly(progress.get(1).message());
        }
        assertThat(simulator().violations("heartbeat")).isEmpty();
    }

    private static List<StepStatus> statuses(StepTopic topic, StepRequested step) {
        return topic.events(Topics.STEP_STATUS, "io.stepwise.step.", StepStatus.class).stream()
                .filter(s -> s.stepId().equals(step.stepId())).sorted(Comparator.comparing(StepStatus::at)).toList();
    }
}
