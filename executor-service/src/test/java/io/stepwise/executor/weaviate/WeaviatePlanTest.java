package io.stepwise.executor.weaviate;

import static io.stepwise.executor.support.SimulatorResource.simulator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stepwise.executor.handler.StepHandlers;
import io.stepwise.executor.handler.StepOutcome;
import io.stepwise.executor.support.RecordingProgress;
import io.stepwise.executor.support.SimulatorResource;
import io.stepwise.executor.support.TestClusters;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import io.stepwise.simulator.ClusterInfo;
import io.stepwise.simulator.ClusterSpec;
import io.stepwise.simulator.ledger.Effect;
import io.stepwise.simulator.ledger.Violation;
import io.stepwise.simulator.ledger.ViolationRule;
import io.stepwise.simulator.weaviate.WeaviateSnapshot;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Whole plans, step by step through the handlers, against one simulated cluster each. */
@QuarkusTest
@QuarkusTestResource(SimulatorResource.class)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
class WeaviatePlanTest {

    @Inject
    StepHandlers handlers;

    /** The executor's own client, aimed at the simulated API server (the simulator's lives in another class loader). */
    @Inject
    KubernetesClient kubernetes;

    record PlannedStep(StepKind kind, String toVersion, Map<String, Object> params) {
        static PlannedStep of(StepKind kind, String toVersion) {
            return new PlannedStep(kind, toVersion, Map.of());
        }

        static PlannedStep of(StepKind kind, String toVersion, Map<String, Object> params) {
            return new PlannedStep(kind, toVersion, params);
        }
    }

    /** The planner's plan for 1.22.5 → 1.30 on 3 nodes on Kubernetes (RULES.md W2–W8), spelled out. */
    static List<PlannedStep> plan1225To130() {
        Map<String, Object> sync = Map.of("expectedNodes", 3, "timeoutSeconds", 10);
        List<PlannedStep> plan = new ArrayList<>(List.of(
                PlannedStep.of(StepKind.BACKUP, null, Map.of("backupId", "plan-w3-first")),
                PlannedStep.of(StepKind.UPGRADE, "1.23.16"),
                PlannedStep.of(StepKind.VERIFY, "1.23.16"),
                PlannedStep.of(StepKind.RESTORE, null, Map.of("backupId", "plan-w3-first")),
                PlannedStep.of(StepKind.UPGRADE, "1.24.26"),
                PlannedStep.of(StepKind.VERIFY, "1.24.26"),
                PlannedStep.of(StepKind.RAFT_MIGRATION, "1.25.34"),
                PlannedStep.of(StepKind.VERIFY, "1.25.34"),
                PlannedStep.of(StepKind.SYNC_CHECK, null, sync),
                PlannedStep.of(StepKind.BACKUP, null, Map.of("backupId", "plan-w6-second"))));
        for (String version : List.of("1.26.18", "1.27.27", "1.28.16", "1.29.11", "1.30.23")) {
            plan.add(PlannedStep.of(StepKind.SYNC_CHECK, null, sync));
            plan.add(PlannedStep.of(StepKind.UPGRADE, version));
            plan.add(PlannedStep.of(StepKind.VERIFY, version));
        }
        return plan;
    }

    @Test
    void theWholePlanFrom1225To130EndsOn13023WithDataIntactAndNoViolations() {
        ClusterInfo cluster = simulator().createCluster(ClusterSpec.weaviate("plan-k8s", "1.22.5", 3, "kubernetes")
                .withCollections(Map.of("Article", 1000L, "Publication", 40L)));
        TestClusters steps = TestClusters.of(cluster);
        List<String> progressLines = new ArrayList<>();
        List<String> stepIds = new ArrayList<>();

        for (PlannedStep planned : plan1225To130()) {
            StepRequested step = steps.step(planned.kind(), planned.toVersion(), planned.params());
            stepIds.add(step.stepId());
            RecordingProgress progress = new RecordingProgress();
            StepOutcome outcome = handlers.execute(step, progress);
            progressLines.addAll(progress.messages());
            assertThat(outcome.succeeded())
                    .as("step %d %s %s: %s", step.seq(), step.kind(), step.toVersion(), outcome.message())
                    .isTrue();
            assertThat(simulator().violations("plan-k8s")).as("violations after step %d %s", step.seq(), step.kind())
                    .isEmpty();
        }

        WeaviateSnapshot end = simulator().weaviate("plan-k8s");
        assertThat(end.nodes()).hasSize(3).allSatisfy(n -> {
            assertThat(n.version()).isEqualTo("1.30.23");
            assertThat(n.healthy()).isTrue();
        });
        assertThat(end.collections()).containsEntry("Article", 1000L).containsEntry("Publication", 40L);
        assertThat(end.dataCorrupted()).isFalse();
        // the plan ends on a VERIFY; Raft catches up right after it
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(simulator().weaviate("plan-k8s").synchronizedState()).isTrue());
        assertThat(simulator().violations()).filteredOn(v -> "plan-k8s".equals(v.clusterId())).isEmpty();

        StatefulSet sts = kubernetes.apps().statefulSets().inNamespace(cluster.namespace())
                .withName(cluster.statefulSet()).get();
        assertThat(sts.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).endsWith(":1.30.23");
        assertThat(sts.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        assertThat(kubernetes.configMaps().inNamespace(cluster.namespace())
                .withName("stepwise-saved-sts-" + cluster.statefulSet()).get()).isNull();

        // Every effect the cluster received is tied to one of the plan's steps.
        assertThat(simulator().effects("plan-k8s")).filteredOn(e -> e.stepId() != null).isNotEmpty()
                .extracting(Effect::stepId).allMatch(stepIds::contains);
        assertThat(progressLines).contains("3 of 3 nodes HEALTHY at 1.30.23")
                .anyMatch(l -> l.startsWith("deleting StatefulSet") && l.contains("Orphan"));
    }

    @Test
    void aPlanThatSkipsAMinorIsRecordedAsAViolation() {
        ClusterInfo cluster = simulator().createCluster(ClusterSpec.weaviate("plan-skip", "1.25.34", 3, "kubernetes"));
        TestClusters steps = TestClusters.of(cluster);
        assertThat(handlers.execute(steps.step(StepKind.SYNC_CHECK, null, Map.of("expectedNodes", 3)),
                new RecordingProgress()).succeeded()).isTrue();
        StepRequested skip = steps.step(StepKind.UPGRADE, "1.27.27");

        handlers.execute(skip, new RecordingProgress());

        assertThat(simulator().violations("plan-skip")).extracting(Violation::rule, Violation::stepId)
                .contains(org.assertj.core.groups.Tuple.tuple(ViolationRule.SKIPPED_MINOR, skip.stepId()));
    }
}
