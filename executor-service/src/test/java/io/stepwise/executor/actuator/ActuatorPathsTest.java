package io.stepwise.executor.actuator;

import static io.stepwise.executor.support.SimulatorResource.simulator;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
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
import io.stepwise.simulator.fault.Fault;
import io.stepwise.simulator.fault.FaultType;
import io.stepwise.simulator.kubernetes.KubernetesSimulation;
import io.stepwise.simulator.ledger.EffectType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The Raft migration hop through each actuator: Kubernetes API, command templates (helm), Docker. */
@QuarkusTest
@QuarkusTestResource(SimulatorResource.class)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
class ActuatorPathsTest {

    @Inject
    StepHandlers handlers;

    @Inject
    KubernetesClient kubernetes;

    @Inject
    KubernetesActuator actuator;

    private List<StepOutcome> migrate(TestClusters steps) {
        return List.of(
                handlers.execute(steps.step(StepKind.RAFT_MIGRATION, "1.25.34"), new RecordingProgress()),
                handlers.execute(steps.step(StepKind.VERIFY, "1.25.34"), new RecordingProgress()),
                handlers.execute(steps.step(StepKind.SYNC_CHECK, null, Map.of("expectedNodes", 3)), new RecordingProgress()));
    }

    @Test
    void helmCommandTemplatesMigrateToRaftWithAnOrphanDeleteThenAnUpgrade() {
        ClusterInfo cluster = simulator().createCluster(ClusterSpec.weaviate("helm-raft", "1.24.26", 3, "command"));
        TestClusters steps = TestClusters.of(cluster).withExtra(Map.of("env.STEPWISE_SIMULATOR_URL", simulator().baseUrl()));

        List<StepOutcome> outcomes = migrate(steps);

        assertThat(outcomes).allSatisfy(o -> assertThat(o.succeeded()).as(o.message()).isTrue());
        assertThat(simulator().weaviate("helm-raft").allNodesOn("1.25.34")).isTrue();
        assertThat(simulator().effects("helm-raft")).extracting(e -> e.type())
                .contains(EffectType.STATEFULSET_DELETED, EffectType.STATEFULSET_CREATED);
        assertThat(simulator().violations("helm-raft")).isEmpty();
    }

    @Test
    void dockerMigratesByItselfSoTheHopOnlyChangesTheVersion() {
        ClusterInfo cluster = simulator().createCluster(ClusterSpec.weaviate("docker-raft", "1.24.26", 3, "docker"));

        List<StepOutcome> outcomes = migrate(TestClusters.of(cluster));

        assertThat(outcomes).allSatisfy(o -> assertThat(o.succeeded()).as(o.message()).isTrue());
        assertThat(simulator().weaviate("docker-raft").allNodesOn("1.25.34")).isTrue();
        assertThat(simulator().violations("docker-raft")).isEmpty();
    }

    @Test
    void aMigrationRetriedAfterACrashBetweenDeleteAndRecreateFinishesFromTheSavedManifest() {
        ClusterInfo cluster = simulator().createCluster(ClusterSpec.weaviate("k8s-crash", "1.24.26", 3, "kubernetes"));
        var sts = kubernetes.apps().statefulSets().inNamespace(cluster.namespace()).withName(cluster.statefulSet());
        StatefulSet original = sts.get();
        // What the first attempt left behind when it died right after the orphan delete.
        kubernetes.configMaps().inNamespace(cluster.namespace()).resource(new ConfigMapBuilder()
                .withNewMetadata().withName("stepwise-saved-sts-" + cluster.statefulSet()).endMetadata()
                .withData(Map.of(KubernetesActuator.SAVED_MANIFEST_KEY, kubernetes.getKubernetesSerialization().asJson(original)))
                .build()).create();
        sts.withPropagationPolicy(DeletionPropagation.ORPHAN).delete();
        Awaitility.await().until(() -> sts.get() == null);
        StepRequested retry = TestClusters.of(cluster).step(StepKind.RAFT_MIGRATION, "1.25.34");
        RecordingProgress progress = new RecordingProgress();

        StepOutcome outcome = handlers.execute(retry, progress);

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(progress.messages()).anyMatch(m -> m.contains("already deleted; re-creating it from ConfigMap"));
        StatefulSet recreated = sts.get();
        assertThat(recreated.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        assertThat(recreated.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).endsWith(":1.25.34");
        assertThat(recreated.getMetadata().getAnnotations()).containsEntry(KubernetesActuator.STEP_ID_ANNOTATION, retry.stepId());
        assertThat(simulator().weaviate("k8s-crash").allNodesOn("1.25.34")).isTrue();
        assertThat(simulator().violations("k8s-crash")).isEmpty();
    }

    @Test
    void anImagePatchBasedOnAStaleReadStillChangesOnlyTheWeaviateContainer() {
        ClusterInfo cluster = simulator().createCluster(ClusterSpec.weaviate("k8s-sidecar", "1.29.11", 3, "kubernetes"));
        var sts = kubernetes.apps().statefulSets().inNamespace(cluster.namespace()).withName(cluster.statefulSet());
        StatefulSet readBefore = sts.get();
        // Between the executor's read and its patch, someone puts a sidecar in front of the weaviate container.
        // (a JSON patch: an edit would carry the resourceVersion read, and meet 409 if the simulated controller
        // wrote the StatefulSet's status since)
        sts.patch(PatchContext.of(PatchType.JSON),
                "[{\"op\": \"add\", \"path\": \"/spec/template/spec/containers/0\","
                        + " \"value\": {\"name\": \"metrics\", \"image\": \"exporter:2.1\"}}]");
        StepRequested upgrade = TestClusters.of(cluster).step(StepKind.UPGRADE, "1.30.23");

        actuator.setImage(upgrade, readBefore, KubernetesSimulation.IMAGE_REPOSITORY + ":1.30.23");

        StatefulSet after = sts.get();
        assertThat(after.getSpec().getTemplate().getSpec().getContainers())
                .extracting(c -> c.getName() + "=" + c.getImage())
                .containsExactly("metrics=exporter:2.1", "weaviate=" + KubernetesSimulation.IMAGE_REPOSITORY + ":1.30.23");
        assertThat(after.getMetadata().getAnnotations()).containsEntry(KubernetesActuator.STEP_ID_ANNOTATION, upgrade.stepId());
    }

    @Test
    void aWriteMetWithConflictIsReadAgainAndRetriedAsKubectlDoes() {
        ClusterInfo cluster = simulator().createCluster(ClusterSpec.weaviate("k8s-conflict", "1.29.11", 3, "kubernetes"));
        // the patch and the first edit after it meet "the object has been modified"; the second edit goes through
        simulator().injectFault(Fault.of("k8s-conflict", FaultType.KUBERNETES_CONFLICT).times(2));

        StepOutcome upgrade = handlers.execute(TestClusters.of(cluster).step(StepKind.UPGRADE, "1.30.23"),
                new RecordingProgress());

        assertThat(upgrade.succeeded()).as(upgrade.message()).isTrue();
        assertThat(simulator().weaviate("k8s-conflict").allNodesOn("1.30.23")).isTrue();
    }

    @Test
    void aConflictThatNeverClearsFailsTheStepNamingTheStatefulSetAndChangesNothing() {
        ClusterInfo cluster = simulator().createCluster(ClusterSpec.weaviate("k8s-contended", "1.29.11", 3, "kubernetes"));
        simulator().injectFault(Fault.of("k8s-contended", FaultType.KUBERNETES_CONFLICT));

        StepOutcome upgrade = handlers.execute(TestClusters.of(cluster).step(StepKind.UPGRADE, "1.30.23"),
                new RecordingProgress());

        assertThat(upgrade.succeeded()).isFalse();
        assertThat(upgrade.message()).contains("could not patch StatefulSet").contains(cluster.statefulSet())
                .contains("the object has been modified");
        assertThat(kubernetes.apps().statefulSets().inNamespace(cluster.namespace()).withName(cluster.statefulSet()).get()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).endsWith(":1.29.11");
        assertThat(simulator().weaviate("k8s-contended").allNodesOn("1.29.11")).isTrue();
    }
}
