package io.stepwise.simulator.kubernetes;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.stepwise.simulator.ClusterInfo;
import io.stepwise.simulator.ClusterSpec;
import io.stepwise.simulator.FleetSimulator;
import io.stepwise.simulator.ManualClock;
import io.stepwise.simulator.SimulatorSettings;
import io.stepwise.simulator.ledger.EffectType;
import io.stepwise.simulator.ledger.ViolationRule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** Drives simulated clusters the way the executor will: a real fabric8 client against the simulated API server. */
class KubernetesRolloutTest {

    static final Duration RESTART = Duration.ofSeconds(10);
    static final Duration PATIENCE = Duration.ofSeconds(30);
    static final ManualClock clock = new ManualClock();
    static FleetSimulator sim;
    static KubernetesClient client;

    @BeforeAll
    static void start() {
        // the roll moves only when the test moves the clock, so each phase can be observed
        sim = FleetSimulator.start(0, SimulatorSettings.instant().withClock(clock)
                .withNodeRestartDuration(RESTART).withTickInterval(Duration.ofMillis(20)));
        client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder().withMasterUrl(sim.kubernetesUrl()).build()).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        sim.close();
    }

    private static StatefulSet sts(ClusterInfo c) {
        return client.apps().statefulSets().inNamespace(c.namespace()).withName(c.statefulSet()).get();
    }

    private static void setImage(ClusterInfo c, String tag, String stepId) {
        client.apps().statefulSets().inNamespace(c.namespace()).withName(c.statefulSet()).edit(sts -> {
            sts.getSpec().getTemplate().getSpec().getContainers().get(0)
                    .setImage("cr.weaviate.io/semitechnologies/weaviate:" + tag);
            sts.getMetadata().getAnnotations().put(KubernetesSimulation.STEP_ID_ANNOTATION, stepId);
            return sts;
        });
    }

    /** Waits until the StatefulSet status shows the given updated and ready counts for the newest generation. */
    private static void awaitStatus(ClusterInfo c, int updated, int ready) {
        await().atMost(PATIENCE).until(() -> {
            StatefulSet sts = sts(c);
            StatefulSetStatus s = sts.getStatus();
            return s != null && Objects.equals(s.getObservedGeneration(), sts.getMetadata().getGeneration())
                    && Objects.equals(s.getUpdatedReplicas(), updated) && Objects.equals(s.getReadyReplicas(), ready);
        });
    }

    private static boolean rolledOut(StatefulSet sts) {
        StatefulSetStatus s = sts.getStatus();
        return s != null && s.getObservedGeneration() != null
                && s.getObservedGeneration() >= sts.getMetadata().getGeneration()
                && Objects.equals(s.getUpdatedReplicas(), sts.getSpec().getReplicas())
                && Objects.equals(s.getReadyReplicas(), sts.getSpec().getReplicas())
                && Objects.equals(s.getCurrentRevision(), s.getUpdateRevision());
    }

    @Test
    void clusterCreationMakesAStatefulSetWithTheVersionAsImageTag() {
        ClusterInfo c = sim.createCluster(ClusterSpec.weaviate("k8s-create", "1.25.34", 3, "kubernetes"));
        assertThat(c.kubernetesUrl()).isEqualTo(sim.kubernetesUrl());
        assertThat(c.namespace()).isEqualTo("weaviate");
        StatefulSet sts = sts(c);
        assertThat(sts.getSpec().getReplicas()).isEqualTo(3);
        assertThat(sts.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).endsWith(":1.25.34");
        await().atMost(PATIENCE).until(() -> rolledOut(sts(c)));
    }

    @Test
    void imageChangeRollsNodesHighestOrdinalFirstAndStatusFollows() {
        ClusterInfo c = sim.createCluster(ClusterSpec.weaviate("k8s-roll", "1.25.34", 3, "kubernetes"));
        await().atMost(PATIENCE).until(() -> rolledOut(sts(c)));

        setImage(c, "1.26.18", "step-roll-1");
        // the highest ordinal restarts first; one node down at a time
        awaitStatus(c, 1, 2);
        assertThat(sim.weaviate("k8s-roll").node("weaviate-2").status()).isEqualTo("UNAVAILABLE");
        clock.advance(RESTART);
        awaitStatus(c, 2, 2);
        assertThat(sim.weaviate("k8s-roll").node("weaviate-1").status()).isEqualTo("UNAVAILABLE");
        clock.advance(RESTART);
        awaitStatus(c, 3, 2);
        assertThat(rolledOut(sts(c))).isFalse();
        clock.advance(RESTART);
        await().atMost(PATIENCE).until(() -> rolledOut(sts(c)));
        assertThat(sim.weaviate("k8s-roll").allNodesOn("1.26.18")).isTrue();
        assertThat(sim.effects("k8s-roll")).filteredOn(e -> e.type() == EffectType.VERSION_CHANGED)
                .allSatisfy(e -> assertThat(e.stepId()).isEqualTo("step-roll-1"))
                .extracting(e -> e.details().get("node"))
                .containsExactly("weaviate-2", "weaviate-1", "weaviate-0");
        given().get(c.endpoint() + "/v1/meta").then().body("version", equalTo("1.26.18"));
        assertThat(sim.violations("k8s-roll")).isEmpty();
    }

    @Test
    void raftMigrationWithStatefulSetDeleteSucceeds() {
        ClusterInfo c = sim.createCluster(ClusterSpec.weaviate("k8s-125", "1.24.26", 3, "kubernetes"));
        await().atMost(PATIENCE).until(() -> rolledOut(sts(c)));
        StatefulSet old = sts(c);

        client.apps().statefulSets().inNamespace(c.namespace()).withName(c.statefulSet())
                .withPropagationPolicy(DeletionPropagation.ORPHAN).delete();
        await().atMost(PATIENCE).until(() -> !sim.weaviate("k8s-125").statefulSetPresent());
        given().get(c.endpoint() + "/v1/meta").then().statusCode(503); // no pod serves

        old.getMetadata().setResourceVersion(null);
        old.setStatus(null);
        old.getSpec().setPodManagementPolicy("Parallel");
        old.getSpec().getTemplate().getSpec().getContainers().get(0)
                .setImage("cr.weaviate.io/semitechnologies/weaviate:1.25.34");
        client.apps().statefulSets().inNamespace(c.namespace()).resource(old).create();
        await().atMost(PATIENCE).until(() -> sim.weaviate("k8s-125").statefulSetPresent());
        assertThat(sim.weaviate("k8s-125").ready()).isFalse(); // all pods start at once (Parallel)
        clock.advance(RESTART);

        await().atMost(PATIENCE).until(() -> rolledOut(sts(c)) && sim.weaviate("k8s-125").allNodesOn("1.25.34"));
        assertThat(sim.weaviate("k8s-125").collections()).containsEntry("Article", 1000L); // volumes kept
        assertThat(sim.effects("k8s-125")).extracting(e -> e.type())
                .contains(EffectType.STATEFULSET_DELETED, EffectType.STATEFULSET_CREATED);
        assertThat(sim.violations("k8s-125")).isEmpty();
        await().atMost(PATIENCE).untilAsserted(() ->
                given().get(c.endpoint() + "/v1/cluster/statistics").then().body("synchronized", equalTo(true)));
    }

    @Test
    void raftMigrationOnALiveStatefulSetNeverGetsReady() {
        ClusterInfo c = sim.createCluster(ClusterSpec.weaviate("k8s-125-bad", "1.24.26", 3, "kubernetes"));
        await().atMost(PATIENCE).until(() -> rolledOut(sts(c)));

        setImage(c, "1.25.34", "step-bad");

        await().atMost(PATIENCE).until(() -> !sim.violations("k8s-125-bad").isEmpty());
        assertThat(sim.violations("k8s-125-bad")).singleElement().satisfies(v -> {
            assertThat(v.rule()).isEqualTo(ViolationRule.RAFT_MIGRATION_WITHOUT_STATEFULSET_DELETE);
            assertThat(v.stepId()).isEqualTo("step-bad");
        });
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(3)).until(() -> !rolledOut(sts(c)));
        assertThat(sim.weaviate("k8s-125-bad").node("weaviate-2").status()).isEqualTo("UNAVAILABLE");
        assertThat(sim.weaviate("k8s-125-bad").node("weaviate-1").version()).isEqualTo("1.24.26");
    }

    @Test
    void aBackupWhileTheStatefulSetRollsOverlapsButTheSameImageAgainDoesNot() {
        ClusterInfo c = sim.createCluster(ClusterSpec.weaviate("k8s-overlap", "1.30.23", 3, "kubernetes"));
        await().atMost(PATIENCE).until(() -> rolledOut(sts(c)));
        setImage(c, "1.31.22", "step-roll");
        awaitStatus(c, 1, 2);
        setImage(c, "1.31.22", "step-roll"); // the same tag again, as a retried step writes it

        given().header("X-Stepwise-Step-Id", "step-backup").contentType("application/json").body("{\"id\":\"b1\"}")
                .post(c.endpoint() + "/v1/backups/s3").then().statusCode(200);
        assertThat(sim.violations("k8s-overlap")).singleElement().satisfies(v -> {
            assertThat(v.rule()).isEqualTo(ViolationRule.CONCURRENT_OPERATION);
            assertThat(v.message()).contains("backup s3/b1 (step step-backup) began while version change "
                    + "1.30.23 -> 1.31.22 (step step-roll) had not ended");
        });
        clock.advance(RESTART.multipliedBy(3));
        await().atMost(PATIENCE).until(() -> rolledOut(sts(c)));
        assertThat(sim.effects("k8s-overlap")).filteredOn(e -> e.type() == EffectType.IMAGE_CHANGED).hasSize(1);
        assertThat(sim.violations("k8s-overlap")).hasSize(1);
    }

    @Test
    void deletingTheStatefulSetWhileItRollsOverlaps() {
        ClusterInfo c = sim.createCluster(ClusterSpec.weaviate("k8s-delete-mid-roll", "1.30.23", 3, "kubernetes"));
        await().atMost(PATIENCE).until(() -> rolledOut(sts(c)));
        setImage(c, "1.31.22", "step-roll");
        awaitStatus(c, 1, 2);
        client.apps().statefulSets().inNamespace(c.namespace()).withName(c.statefulSet())
                .withPropagationPolicy(DeletionPropagation.ORPHAN).delete();
        await().atMost(PATIENCE).until(() -> !sim.weaviate("k8s-delete-mid-roll").statefulSetPresent());
        assertThat(sim.violations("k8s-delete-mid-roll")).singleElement().satisfies(v -> {
            assertThat(v.rule()).isEqualTo(ViolationRule.CONCURRENT_OPERATION);
            assertThat(v.message()).startsWith("deletion of StatefulSet weaviate/k8s-delete-mid-roll")
                    .contains("began while version change 1.30.23 -> 1.31.22 (step step-roll)");
        });
    }

    @Test
    void helmSetVersionRecreatesADeletedStatefulSet() {
        ClusterInfo c = sim.createCluster(ClusterSpec.weaviate("k8s-helm", "1.24.26", 1, "command"));
        client.apps().statefulSets().inNamespace(c.namespace()).withName(c.statefulSet()).delete();
        await().atMost(PATIENCE).until(() -> !sim.weaviate("k8s-helm").statefulSetPresent());
        sim.setVersion("k8s-helm", "1.25.34", "step-helm");
        await().atMost(PATIENCE).until(() -> sim.weaviate("k8s-helm").statefulSetPresent());
        clock.advance(RESTART);
        await().atMost(PATIENCE).until(() -> sim.weaviate("k8s-helm").allNodesOn("1.25.34"));
        assertThat(sts(c).getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        assertThat(sim.violations("k8s-helm")).isEmpty();
        assertThat(sim.effects("k8s-helm")).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(EffectType.STATEFULSET_CREATED);
            assertThat(e.stepId()).isEqualTo("step-helm");
            assertThat(e.details()).containsAllEntriesOf(Map.of("version", "1.25.34"));
        });
    }
}
