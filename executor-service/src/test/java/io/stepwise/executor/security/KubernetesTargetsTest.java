package io.stepwise.executor.security;

import static io.stepwise.executor.support.SimulatorResource.simulator;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
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
import io.stepwise.simulator.ClusterInfo;
import io.stepwise.simulator.ClusterSpec;
import io.stepwise.simulator.ledger.Effect;
import io.stepwise.simulator.ledger.EffectType;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Namespaces and names go to the Kubernetes API and to kubectl and helm: they are checked as DNS-1123 names again in
 * the executor, and only the namespaces its configuration lists (the tests': the simulator's "weaviate") are ever
 * touched. Each refused step fails before any Kubernetes call: the simulated API server saw no request for it and no
 * StatefulSet changed.
 */
@QuarkusTest
@QuarkusTestResource(SimulatorResource.class)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
class KubernetesTargetsTest {

    private static StepTopic topic;

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

    private static StepRequested upgrade(ClusterInfo cluster, String namespace, String statefulSet) {
        return Steps.step(cluster.id(), Product.WEAVIATE, StepKind.UPGRADE, "1.26.18", new ClusterConnection(
                cluster.endpoint(), DeploymentKind.KUBERNETES, namespace, statefulSet, null, null, Map.of()));
    }

    /** Read with the executor's own client, so it also shows that its requests are told apart from the simulator's. */
    private String image(ClusterInfo cluster) {
        long mark = simulator().kubernetes().requestCount();
        String image = kubernetes.apps().statefulSets().inNamespace(cluster.namespace()).withName(cluster.statefulSet()).get()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        assertThat(simulator().kubernetes().executorRequestsSince(mark)).as("the executor's client, recognised")
                .contains("GET /apis/apps/v1/namespaces/" + cluster.namespace() + "/statefulsets/" + cluster.statefulSet());
        return image;
    }

    @Test
    void aStatefulSetNamedLikeAFlagFailsBeforeAnyKubernetesCall() {
        ClusterInfo victim = simulator().createCluster(ClusterSpec.weaviate("k8s-dashdash", "1.25.34", 1, "kubernetes"));
        String before = image(victim);
        long mark = simulator().kubernetes().requestCount();

        StepStatus end = Steps.run(topic, upgrade(victim, victim.namespace(), "--all"));
        var requests = simulator().kubernetes().executorRequestsSince(mark);

        assertThat(end.state()).isEqualTo(StepState.FAILED);
        assertThat(end.message()).contains("statefulSet '--all'").contains("DNS-1123").contains("nothing was done");
        assertThat(requests).as("requests the executor made of the simulated API server meanwhile")
                .noneMatch(r -> r.contains("--all") || r.contains("/statefulsets/k8s-dashdash"));
        assertThat(image(victim)).isEqualTo(before);
        assertThat(simulator().effects(victim.id())).extracting(Effect::type).containsOnly(EffectType.CLUSTER_CREATED);
        assertThat(simulator().violations(victim.id())).isEmpty();
    }

    @Test
    void aNamespaceTheConfigurationDoesNotListFailsBeforeAnyKubernetesCall() {
        ClusterInfo victim = simulator().createCluster(ClusterSpec.weaviate("k8s-system", "1.25.34", 1, "kubernetes")
                .withStatefulSet("kube-system", "k8s-system"));
        String before = image(victim);
        long mark = simulator().kubernetes().requestCount();

        StepStatus end = Steps.run(topic, upgrade(victim, "kube-system", victim.statefulSet()));
        var requests = simulator().kubernetes().executorRequestsSince(mark);

        assertThat(end.state()).isEqualTo(StepState.FAILED);
        assertThat(end.message()).contains("namespace 'kube-system'").contains("stepwise.executor.kubernetes.namespaces")
                .contains("nothing was done");
        assertThat(requests).as("requests the executor made of the simulated API server meanwhile")
                .noneMatch(r -> r.contains("/namespaces/kube-system/"));
        assertThat(image(victim)).isEqualTo(before);
        assertThat(simulator().effects(victim.id())).extracting(Effect::type).containsOnly(EffectType.CLUSTER_CREATED);
        assertThat(simulator().violations(victim.id())).isEmpty();
    }
}
