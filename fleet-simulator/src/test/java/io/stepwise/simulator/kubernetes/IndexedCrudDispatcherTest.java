package io.stepwise.simulator.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.HashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The simulated API server finds objects by name without a scan; it must still answer exactly as the stock one. */
class IndexedCrudDispatcherTest {

    static KubernetesMockServer server;
    static NamespacedKubernetesClient client;

    @BeforeAll
    static void start() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new IndexedCrudDispatcher(statefulSet -> false), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.destroy();
    }

    private static StatefulSet sts(String namespace, String name, String image, String team) {
        return new StatefulSetBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).addToLabels("team", team).endMetadata()
                .withNewSpec().withReplicas(3).withNewTemplate().withNewSpec()
                .addNewContainer().withName("weaviate").withImage(image).endContainer()
                .endSpec().endTemplate().endSpec().build();
    }

    private static StatefulSet get(String namespace, String name) {
        return client.apps().statefulSets().inNamespace(namespace).withName(name).get();
    }

    private static String imageOf(StatefulSet sts) {
        return sts.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    @Test
    void findsEachObjectByKindNamespaceAndName() {
        for (int i = 0; i < 20; i++) {
            for (String ns : new String[] {"blue", "green"}) {
                client.apps().statefulSets().inNamespace(ns).resource(sts(ns, "w-" + i, "weaviate:" + ns + "-" + i, "a")).create();
            }
        }
        client.configMaps().inNamespace("blue").resource(new ConfigMapBuilder()
                .withNewMetadata().withNamespace("blue").withName("w-3").endMetadata().addToData("k", "v").build()).create();

        for (int i = 0; i < 20; i++) {
            assertThat(imageOf(get("blue", "w-" + i))).isEqualTo("weaviate:blue-" + i);
            assertThat(imageOf(get("green", "w-" + i))).isEqualTo("weaviate:green-" + i);
        }
        assertThat(client.configMaps().inNamespace("blue").withName("w-3").get().getData()).containsEntry("k", "v");
        assertThat(client.apps().statefulSets().inNamespace("blue").list().getItems()).hasSize(20);
        assertThat(get("blue", "w-99")).isNull();
    }

    @Test
    void followsPatchesDeletesAndRecreations() {
        client.apps().statefulSets().inNamespace("red").resource(sts("red", "x", "weaviate:1.29.11", "a")).create();
        assertThat(imageOf(get("red", "x"))).isEqualTo("weaviate:1.29.11");

        client.apps().statefulSets().inNamespace("red").withName("x").edit(s -> {
            s.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("weaviate:1.30.23");
            return s;
        });
        assertThat(imageOf(get("red", "x"))).isEqualTo("weaviate:1.30.23");
        assertThat(get("red", "x").getMetadata().getGeneration()).isEqualTo(2L);

        client.apps().statefulSets().inNamespace("red").withName("x").delete();
        assertThat(get("red", "x")).isNull();

        // re-created with other labels: stored under another key than the one remembered
        client.apps().statefulSets().inNamespace("red").resource(sts("red", "x", "weaviate:1.31.0", "b")).create();
        StatefulSet again = get("red", "x");
        assertThat(imageOf(again)).isEqualTo("weaviate:1.31.0");
        assertThat(again.getMetadata().getLabels()).containsEntry("team", "b");
    }

    @Test
    void aNewObjectIsFoundAtOnceAndASecondCreateOfItIsRefused() {
        var statefulSets = client.apps().statefulSets().inNamespace("yellow");
        statefulSets.resource(sts("yellow", "y", "weaviate:1.29.11", "a")).create();

        // found by name without ever having been looked up (the index learns it from the write)
        assertThat(imageOf(get("yellow", "y"))).isEqualTo("weaviate:1.29.11");
        statefulSets.withName("y").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"team\":\"c\"}}}");
        assertThat(get("yellow", "y").getMetadata().getLabels()).containsEntry("team", "c");

        assertThatThrownBy(() -> statefulSets.resource(sts("yellow", "y", "weaviate:1.30.23", "a")).create())
                .isInstanceOf(KubernetesClientException.class)
                .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(409));
        assertThat(imageOf(get("yellow", "y"))).isEqualTo("weaviate:1.29.11");
        assertThat(get("yellow", "z")).isNull();
    }
}
