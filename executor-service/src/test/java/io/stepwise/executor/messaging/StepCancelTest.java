package io.stepwise.executor.messaging;

import static io.stepwise.executor.support.LedgerRows.execution;
import static io.stepwise.executor.support.LedgerRows.state;
import static io.stepwise.executor.support.LedgerRows.update;
import static io.stepwise.executor.support.SimulatorResource.simulator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stepwise.executor.actuator.KubernetesActuator;
import io.stepwise.executor.support.SimulatorResource;
import io.stepwise.executor.support.StepTopic;
import io.stepwise.executor.support.TestClusters;
import io.stepwise.model.StepCancel;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import io.stepwise.model.StepState;
import io.stepwise.model.StepStatus;
import io.stepwise.model.Topics;
import io.stepwise.simulator.ClusterInfo;
import io.stepwise.simulator.ClusterSpec;
import io.stepwise.simulator.fault.Fault;
import io.stepwise.simulator.fault.FaultType;
import io.stepwise.simulator.ledger.Effect;
import io.stepwise.simulator.ledger.EffectType;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cancels ({@code io.stepwise.step.cancel-requested}) over the real broker: an attempt not started never starts and is
 * answered FAILED CANCELLED, a running one stops at its next safe poll, one that ended is left alone, and an executor
 * taking over a cancelled attempt sees the cancel too, finishing first an operation that must not stop halfway.
 */
@QuarkusTest
@QuarkusTestResource(SimulatorResource.class)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
class StepCancelTest {

    private static StepTopic topic;

    @Inject
    ObjectMapper json;

    @Inject
    KubernetesClient kubernetes;

    @BeforeAll
    static void connect() {
        topic = new StepTopic();
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        topic.close();
    }

    @Test
    void aRunningAttemptStopsAtItsNextPollAndIsAnsweredCancelledWithTheReason() {
        var cluster = simulator().createCluster(ClusterSpec.weaviate("cancel-running", "1.30.23", 3, "kubernetes"));
        simulator().injectFault(Fault.of("cancel-running", FaultType.SYNC_NEVER_CONVERGES));
        StepRequested sync = TestClusters.of(cluster).step(StepKind.SYNC_CHECK, null, Map.of("expectedNodes", 3));
        topic.send(sync.clusterId(), StepRequested.TYPE, sync);
        await().atMost(Duration.ofSeconds(30)).until(() -> "RUNNING".equals(state(sync.stepId(), 1)));
        long cancelledAt = System.nanoTime();

        topic.send(sync.clusterId(), StepCancel.TYPE, cancel(sync, "rollout cancelled by alice"));

        StepStatus failed = awaitEnd(sync);
        assertThat(Duration.ofNanos(System.nanoTime() - cancelledAt)).as("well before the 10 s sync timeout")
                .isLessThan(Duration.ofSeconds(8));
        assertThat(failed.state()).isEqualTo(StepState.FAILED);
        assertThat(failed.errorCode()).isEqualTo(StepStatus.CANCELLED);
        assertThat(failed.message()).contains("cancelled: rollout cancelled by alice")
                .contains("stopped while waiting for").contains("nothing further was done");
        assertThat(execution(sync.stepId(), 1)).containsEntry("error_code", StepStatus.CANCELLED)
                .containsEntry("cancel_reason", "rollout cancelled by alice");
        assertThat(simulator().violations("cancel-running")).isEmpty();
    }

    @Test
    void anAttemptWaitingForItsClusterNeverStartsOnceCancelled() {
        var cluster = simulator().createCluster(ClusterSpec.weaviate("cancel-pending", "1.29.11", 1, "kubernetes"));
        StepRequested upgrade = TestClusters.of(cluster).step(StepKind.UPGRADE, "1.30.23");
        // Another executor acts on the cluster: the upgrade waits, recorded but not started.
        update("insert into cluster_guard (cluster_id, step_id, attempt, owner, lease_until) values (?, ?, 1, ?, ?)",
                "cancel-pending", "another-step", "another-executor", OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(5));
        topic.send(upgrade.clusterId(), StepRequested.TYPE, upgrade);
        await().atMost(Duration.ofSeconds(30)).until(() -> "PENDING".equals(state(upgrade.stepId(), 1)));

        topic.send(upgrade.clusterId(), StepCancel.TYPE, cancel(upgrade, null));

        StepStatus failed = awaitEnd(upgrade);
        assertThat(failed.errorCode()).isEqualTo(StepStatus.CANCELLED);
        assertThat(failed.message()).contains("cancelled before it started").contains("nothing was done");
        // the other executor is done with the cluster: still nothing runs
        update("delete from cluster_guard where cluster_id = ?", "cancel-pending");
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                .until(() -> "FAILED".equals(state(upgrade.stepId(), 1)));
        assertThat(statusesOf(upgrade)).noneMatch(s -> s.state() == StepState.RUNNING);
        assertThat(simulator().effects("cancel-pending")).extracting(Effect::type).containsOnly(EffectType.CLUSTER_CREATED);
    }

    @Test
    void aCancelThatArrivesBeforeItsRequestAnswersTheRequestWithoutRunningIt() {
        var cluster = simulator().createCluster(ClusterSpec.weaviate("cancel-first", "1.29.11", 1, "kubernetes"));
        StepRequested upgrade = TestClusters.of(cluster).step(StepKind.UPGRADE, "1.30.23");

        topic.send(upgrade.clusterId(), StepCancel.TYPE, cancel(upgrade, "superseded"));
        StepStatus answered = awaitEnd(upgrade);
        topic.send(upgrade.clusterId(), StepRequested.TYPE, upgrade);

        await().atMost(Duration.ofSeconds(30)).until(() -> statusesOf(upgrade).size() == 2);
        assertThat(answered.errorCode()).isEqualTo(StepStatus.CANCELLED);
        assertThat(answered.message()).contains("cancelled before its request arrived: superseded");
        assertThat(statusesOf(upgrade)).allSatisfy(s -> {
            assertThat(s.state()).isEqualTo(StepState.FAILED);
            assertThat(s.errorCode()).isEqualTo(StepStatus.CANCELLED);
        });
        assertThat(simulator().effects("cancel-first")).extracting(Effect::type).containsOnly(EffectType.CLUSTER_CREATED);
        assertThat(simulator().weaviate("cancel-first").allNodesOn("1.29.11")).isTrue();
    }

    @Test
    void aCancelOfAnAttemptThatEndedIsLeftAlone() {
        var cluster = simulator().createCluster(ClusterSpec.weaviate("cancel-late", "1.30.23", 1, "kubernetes"));
        StepRequested verify = TestClusters.of(cluster).step(StepKind.VERIFY, "1.30.23", Map.of("expectedNodes", 1));
        topic.send(verify.clusterId(), StepRequested.TYPE, verify);
        assertThat(awaitEnd(verify).state()).isEqualTo(StepState.SUCCEEDED);
        StepRequested marker = TestClusters.of(cluster).step(StepKind.VERIFY, "1.30.23", Map.of("expectedNodes", 1));

        topic.send(verify.clusterId(), StepCancel.TYPE, cancel(verify, "too late"));
        // a step sent after the cancel ends after it was consumed: by then the cancel had done whatever it did
        topic.send(marker.clusterId(), StepRequested.TYPE, marker);
        awaitEnd(marker);

        assertThat(statusesOf(verify)).filteredOn(s -> s.state() != StepState.RUNNING).singleElement()
                .satisfies(s -> assertThat(s.state()).isEqualTo(StepState.SUCCEEDED));
        assertThat(execution(verify.stepId(), 1)).containsEntry("state", "SUCCEEDED").containsEntry("cancel_reason", null);
    }

    @Test
    void anExecutorTakingOverACancelledAttemptEndsItWithoutRunningIt() throws Exception {
        var cluster = simulator().createCluster(ClusterSpec.weaviate("cancel-orphan", "1.29.11", 1, "kubernetes"));
        StepRequested upgrade = TestClusters.of(cluster).step(StepKind.UPGRADE, "1.30.23");
        // An executor started the upgrade, was told to cancel it, and died before its next poll.
        insertOrphan(upgrade, "rollout cancelled", null);

        StepStatus failed = awaitEnd(upgrade);

        assertThat(failed.errorCode()).isEqualTo(StepStatus.CANCELLED);
        assertThat(failed.message()).contains("cancelled: rollout cancelled").contains("not resumed");
        assertThat(simulator().effects("cancel-orphan")).extracting(Effect::type).containsOnly(EffectType.CLUSTER_CREATED);
        assertThat(simulator().weaviate("cancel-orphan").allNodesOn("1.29.11")).isTrue();
    }

    @Test
    void anExecutorTakingOverACancelledAttemptInsideAMigrationFinishesTheMigrationBeforeItStops() throws Exception {
        ClusterInfo cluster = simulator().createCluster(ClusterSpec.weaviate("cancel-raft", "1.24.26", 3, "kubernetes"));
        StepRequested migration = TestClusters.of(cluster).step(StepKind.RAFT_MIGRATION, "1.25.34");
        var sts = kubernetes.apps().statefulSets().inNamespace(cluster.namespace()).withName(cluster.statefulSet());
        StatefulSet original = sts.get();
        // The executor that ran the migration saved the StatefulSet, deleted it (orphan) and died there, cancelled.
        kubernetes.configMaps().inNamespace(cluster.namespace()).resource(new ConfigMapBuilder()
                .withNewMetadata().withName("stepwise-saved-sts-" + cluster.statefulSet()).endMetadata()
                .withData(Map.of("statefulset.json", kubernetes.getKubernetesSerialization().asJson(original)))
                .build()).create();
        sts.withPropagationPolicy(DeletionPropagation.ORPHAN).delete();
        await().until(() -> sts.get() == null);
        insertOrphan(migration, "rollout cancelled", "re-creating StatefulSet " + cluster.namespace() + "/"
                + cluster.statefulSet());

        StepStatus failed = awaitEnd(migration);

        assertThat(failed.errorCode()).isEqualTo(StepStatus.CANCELLED);
        StatefulSet recreated = sts.get();
        assertThat(recreated).as("the migration was not left halfway: the StatefulSet exists again").isNotNull();
        assertThat(recreated.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        assertThat(recreated.getMetadata().getAnnotations())
                .containsEntry(KubernetesActuator.STEP_ID_ANNOTATION, migration.stepId());
        assertThat(simulator().effects("cancel-raft")).filteredOn(e -> e.type() == EffectType.STATEFULSET_CREATED)
                .extracting(Effect::stepId).containsExactly(migration.stepId());
        assertThat(simulator().violations("cancel-raft")).isEmpty();
    }

    private void insertOrphan(StepRequested step, String cancelReason, String critical) throws Exception {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        update("insert into step_execution (step_id, attempt, rollout_id, cluster_id, seq, kind, request, state,"
                        + " received_at, started_at, owner, lease_until, cancel_reason, critical)"
                        + " values (?, ?, ?, ?, ?, ?, ?, 'RUNNING', ?, ?, 'dead-executor', ?, ?, ?)",
                step.stepId(), step.attempt(), step.rolloutId(), step.clusterId(), step.seq(), step.kind().name(),
                json.writeValueAsString(step), now, now, now.minusSeconds(1), cancelReason, critical);
    }

    private static StepCancel cancel(StepRequested step, String reason) {
        return new StepCancel(step.stepId(), step.rolloutId(), step.clusterId(), step.seq(), step.attempt(), reason);
    }

    private static List<StepStatus> statusesOf(StepRequested step) {
        return topic.events(Topics.STEP_STATUS, "io.stepwise.step.", StepStatus.class).stream()
                .filter(s -> s.stepId().equals(step.stepId()) && s.attempt() == step.attempt()).toList();
    }

    private static StepStatus awaitEnd(StepRequested step) {
        await().atMost(Duration.ofSeconds(30)).until(() -> statusesOf(step).stream().anyMatch(s -> s.state().isTerminal()));
        return statusesOf(step).stream().filter(s -> s.state().isTerminal()).findFirst().orElseThrow();
    }
}
