package io.stepwise.executor.messaging;

import static io.stepwise.executor.support.LedgerRows.execution;
import static io.stepwise.executor.support.LedgerRows.update;
import static io.stepwise.executor.support.SimulatorResource.simulator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stepwise.executor.support.SimulatorResource;
import io.stepwise.executor.support.StepTopic;
import io.stepwise.executor.support.TestClusters;
import io.stepwise.model.ClusterConnection;
import io.stepwise.model.CloudEventHeaders;
import io.stepwise.model.DeploymentKind;
import io.stepwise.model.ProbeRequested;
import io.stepwise.model.ProbeResult;
import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import io.stepwise.model.StepState;
import io.stepwise.model.StepStatus;
import io.stepwise.model.Topics;
import io.stepwise.simulator.ClusterSpec;
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
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Live facts before acting, over the real broker against the simulator: a step whose pre-flight expectation the
 * cluster does not meet fails with PRECONDITION_FAILED naming what was expected and seen, having changed nothing; one
 * that meets it runs; an attempt resumed after a crash is not checked again. A probe reads every node's version and
 * the node count, changing nothing, and answers with a ProbeResult.
 */
@QuarkusTest
@QuarkusTestResource(SimulatorResource.class)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
class PreflightAndProbeTest {

    private static StepTopic topic;

    @Inject
    ObjectMapper json;

    @BeforeAll
    static void connect() {
        topic = new StepTopic();
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        topic.close();
    }

    @Test
    void aStepExpectingAnotherVersionFailsWithPreconditionFailedAndChangesNothing() {
        var cluster = simulator().createCluster(ClusterSpec.weaviate("preflight-stale", "1.23.5", 3, "kubernetes"));
        StepRequested upgrade = withPreflight(TestClusters.of(cluster).step(StepKind.UPGRADE, "1.25.34"),
                new StepRequested.Preflight(List.of("1.24.10"), 3));

        topic.send(upgrade.clusterId(), StepRequested.TYPE, upgrade);

        StepStatus failed = awaitEnd(upgrade);
        assertThat(failed.state()).isEqualTo(StepState.FAILED);
        assertThat(failed.errorCode()).isEqualTo(StepStatus.PRECONDITION_FAILED);
        assertThat(failed.message()).contains("expected 3 nodes on 1.24.10; found 3 nodes: weaviate-0 1.23.5,"
                + " weaviate-1 1.23.5, weaviate-2 1.23.5").contains("nothing was changed");
        assertThat(failed.observedVersion()).isEqualTo("1.23.5");
        assertThat(simulator().effects("preflight-stale")).extracting(Effect::type).containsOnly(EffectType.CLUSTER_CREATED);
        assertThat(simulator().weaviate("preflight-stale").allNodesOn("1.23.5")).isTrue();
        assertThat(simulator().violations("preflight-stale")).isEmpty();
    }

    @Test
    void aClusterWithAnotherNodeCountFailsTheCheckAndOneThatMatchesRuns() {
        var cluster = simulator().createCluster(ClusterSpec.weaviate("preflight-count", "1.30.23", 1, "kubernetes"));
        TestClusters steps = TestClusters.of(cluster);
        StepRequested wrongCount = withPreflight(steps.step(StepKind.VERIFY, "1.30.23", Map.of("expectedNodes", 1)),
                new StepRequested.Preflight(List.of("1.30.23"), 3));
        StepRequested matching = withPreflight(steps.step(StepKind.VERIFY, "1.30.23", Map.of("expectedNodes", 1)),
                new StepRequested.Preflight(List.of("1.29.11", "1.30.23"), 1));

        topic.send(wrongCount.clusterId(), StepRequested.TYPE, wrongCount);
        topic.send(matching.clusterId(), StepRequested.TYPE, matching);

        StepStatus refused = awaitEnd(wrongCount);
        assertThat(refused.errorCode()).isEqualTo(StepStatus.PRECONDITION_FAILED);
        assertThat(refused.message()).contains("expected 3 nodes on 1.30.23; found 1 node: weaviate-0 1.30.23");
        StepStatus ran = awaitEnd(matching);
        assertThat(ran.state()).as(ran.message()).isEqualTo(StepState.SUCCEEDED);
        assertThat(ran.errorCode()).isNull();
        assertThat(execution(matching.stepId(), 1).get("checked_at")).as("the check is recorded").isNotNull();
    }

    @Test
    void aPachydermStepIsCheckedAgainstTheServerVersion() {
        var cluster = simulator().createCluster(ClusterSpec.pachyderm("preflight-pach", "1.9.5"));
        StepRequested upgrade = withPreflight(TestClusters.of(cluster)
                        .withExtra(Map.of("env.STEPWISE_SIMULATOR_URL", simulator().baseUrl())).step(StepKind.UPGRADE, "1.9.12"),
                new StepRequested.Preflight(List.of("1.9.11"), null));

        topic.send(upgrade.clusterId(), StepRequested.TYPE, upgrade);

        StepStatus failed = awaitEnd(upgrade);
        assertThat(failed.errorCode()).isEqualTo(StepStatus.PRECONDITION_FAILED);
        assertThat(failed.message()).contains("expected pachd on 1.9.11; found pachd 1.9.5");
        assertThat(simulator().effects("preflight-pach")).extracting(Effect::type).containsOnly(EffectType.CLUSTER_CREATED);
        assertThat(simulator().pachyderm("preflight-pach").serverVersion().toString()).isEqualTo("1.9.5");
    }

    @Test
    void anAttemptResumedAfterACrashIsNotCheckedAgain() throws Exception {
        // Its first executor checked the cluster at 1.29.11, upgraded it, and died before recording the end.
        var cluster = simulator().createCluster(ClusterSpec.weaviate("preflight-resumed", "1.30.23", 1, "kubernetes"));
        StepRequested upgrade = withPreflight(TestClusters.of(cluster).step(StepKind.UPGRADE, "1.30.23"),
                new StepRequested.Preflight(List.of("1.29.11"), 1));
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        update("insert into step_execution (step_id, attempt, rollout_id, cluster_id, seq, kind, request, state,"
                        + " received_at, started_at, checked_at, owner, lease_until)"
                        + " values (?, ?, ?, ?, ?, ?, ?, 'RUNNING', ?, ?, ?, 'dead-executor', ?)",
                upgrade.stepId(), 1, upgrade.rolloutId(), upgrade.clusterId(), upgrade.seq(), "UPGRADE",
                json.writeValueAsString(upgrade), now, now, now, now.minusSeconds(1));

        StepStatus done = awaitEnd(upgrade);

        assertThat(done.state()).as(done.message()).isEqualTo(StepState.SUCCEEDED);
        assertThat(simulator().violations("preflight-resumed")).isEmpty();
    }

    @Test
    void aProbeReadsEveryNodesVersionAndTheNodeCountChangingNothing() {
        var cluster = simulator().createCluster(ClusterSpec.weaviate("probe-w", "1.23.5", 3, "kubernetes"));
        ProbeRequested probe = new ProbeRequested(UUID.randomUUID().toString(), "probe-w", Product.WEAVIATE,
                TestClusters.of(cluster).connection());

        topic.send(probe.clusterId(), ProbeRequested.TYPE, probe);

        ProbeResult result = awaitResult(probe);
        assertThat(result.version()).isEqualTo("1.23.5");
        assertThat(result.nodeVersions()).containsExactly("1.23.5", "1.23.5", "1.23.5");
        assertThat(result.nodes()).isEqualTo(3);
        assertThat(result.error()).isNull();
        ConsumerRecord<String, String> record = topic.on(Topics.STEP_STATUS).stream()
                .filter(r -> r.value().contains(probe.probeId())).findFirst().orElseThrow();
        assertThat(record.key()).isEqualTo("probe-w");
        assertThat(StepTopic.header(record, CloudEventHeaders.TYPE)).isEqualTo(ProbeResult.TYPE);
        assertThat(StepTopic.header(record, CloudEventHeaders.ID)).isEqualTo(probe.probeId() + ":probed");
        assertThat(simulator().effects("probe-w")).extracting(Effect::type).containsOnly(EffectType.CLUSTER_CREATED);
    }

    @Test
    void aPachydermProbeReadsTheServerVersionAndAClusterThatCannotBeReadIsAnsweredWithAnError() {
        var cluster = simulator().createCluster(ClusterSpec.pachyderm("probe-p", "1.13.4"));
        ProbeRequested pachyderm = new ProbeRequested(UUID.randomUUID().toString(), "probe-p", Product.PACHYDERM,
                TestClusters.of(cluster).withExtra(Map.of("env.STEPWISE_SIMULATOR_URL", simulator().baseUrl())).connection());
        ProbeRequested unreachable = new ProbeRequested(UUID.randomUUID().toString(), "probe-gone", Product.WEAVIATE,
                new ClusterConnection("http://127.0.0.1:1", DeploymentKind.KUBERNETES, "weaviate", "sts", null, null, Map.of()));

        topic.send(pachyderm.clusterId(), ProbeRequested.TYPE, pachyderm);
        topic.send(unreachable.clusterId(), ProbeRequested.TYPE, unreachable);

        ProbeResult pach = awaitResult(pachyderm);
        assertThat(pach.version()).isEqualTo("1.13.4");
        assertThat(pach.nodeVersions()).containsExactly("1.13.4");
        assertThat(pach.nodes()).as("Pachyderm tells no node count").isNull();
        ProbeResult gone = awaitResult(unreachable);
        assertThat(gone.version()).isNull();
        assertThat(gone.nodeVersions()).isEmpty();
        assertThat(gone.error()).contains("GET /v1/nodes");
    }

    private static StepRequested withPreflight(StepRequested step, StepRequested.Preflight preflight) {
        return new StepRequested(step.stepId(), step.rolloutId(), step.clusterId(), step.seq(), step.attempt(),
                step.product(), step.kind(), step.toVersion(), step.params(), step.cluster(), preflight);
    }

    private static StepStatus awaitEnd(StepRequested step) {
        await().atMost(Duration.ofSeconds(60)).until(() -> statuses(step).stream().anyMatch(s -> s.state().isTerminal()));
        return statuses(step).stream().filter(s -> s.state().isTerminal()).findFirst().orElseThrow();
    }

    private static List<StepStatus> statuses(StepRequested step) {
        return topic.events(Topics.STEP_STATUS, "io.stepwise.step.", StepStatus.class).stream()
                .filter(s -> s.stepId().equals(step.stepId())).toList();
    }

    private static ProbeResult awaitResult(ProbeRequested probe) {
        await().atMost(Duration.ofSeconds(60)).until(() -> results(probe).size() >= 1);
        return results(probe).get(0);
    }

    private static List<ProbeResult> results(ProbeRequested probe) {
        return topic.events(Topics.STEP_STATUS, ProbeResult.TYPE, ProbeResult.class).stream()
                .filter(r -> r.probeId().equals(probe.probeId())).toList();
    }
}
