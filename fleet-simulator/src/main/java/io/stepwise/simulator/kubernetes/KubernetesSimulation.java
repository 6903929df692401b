package io.stepwise.simulator.kubernetes;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.stepwise.simulator.core.Version;
import io.stepwise.simulator.fault.FaultInjector;
import io.stepwise.simulator.weaviate.WeaviateCluster;
import io.stepwise.simulator.weaviate.WeaviateSnapshot;
import io.vertx.core.json.JsonObject;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The simulated Kubernetes API: one fabric8 CRUD mock server ({@link IndexedCrudDispatcher}) holding a StatefulSet
 * per simulated cluster, watched as a controller would: a new image tag rolls the nodes, a deletion stops the pods
 * (volumes stay), a re-creation starts them all at once. While a roll runs, the StatefulSet's status is written back
 * each tick, so a client can follow the rollout.
 */
public final class KubernetesSimulation implements AutoCloseable {

    /** Annotation on a StatefulSet naming the step that changed it (the Kubernetes analogue of the step header). */
    public static final String STEP_ID_ANNOTATION = "stepwise.io/step-id";
    public static final String IMAGE_REPOSITORY = "cr.weaviate.io/semitechnologies/weaviate";

    private static final Logger LOG = Logger.getLogger(KubernetesSimulation.class.getName());
    private static final long RESYNC_MILLIS = 30_000;
    /**
     * StatefulSets whose status is written at the same time, as Kubernetes's controller syncs five at once
     * (kube-controller-manager's {@code --concurrent-statefulset-syncs}), so one roll's status does not wait for all.
     */
    private static final int STATUS_WRITERS = 5;
    /** The mock server logs every request at INFO; held here so the level sticks. */
    private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_SERVER_LOG.setLevel(Level.WARNING);
    }

    /** The service account token an executor pointed at this simulation presents (its own client presents none). */
    public static final String EXECUTOR_TOKEN = "simulated-service-account";

    private final Clock clock;
    private final KubernetesMockServer server;
    private final IndexedCrudDispatcher dispatcher;
    private final NamespacedKubernetesClient client;
    private final Map<String, WeaviateCluster> clustersByStatefulSet = new ConcurrentHashMap<>();
    private final Map<String, Long> observedGenerations = new ConcurrentHashMap<>();
    private final Map<String, String> writtenStatus = new ConcurrentHashMap<>();
    /** Clusters whose status needs writing, each with the stamp of its latest change. */
    private final Map<WeaviateCluster, Long> settling = new ConcurrentHashMap<>();
    private final AtomicLong changes = new AtomicLong();
    private final ScheduledExecutorService ticker;
    private final ExecutorService statusWriters;
    private final SharedIndexInformer<StatefulSet> informer;

    /** A simulation whose StatefulSet statuses are written every {@code tickInterval} while rolls run. */
    public KubernetesSimulation(Duration tickInterval, Clock clock, FaultInjector faults) {
        this.clock = clock;
        this.dispatcher = new IndexedCrudDispatcher(statefulSet -> {
            WeaviateCluster cluster = clustersByStatefulSet.get(statefulSet);
            return cluster != null && faults.kubernetesConflict(cluster.id());
        });
        this.server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        this.client = server.createClient();
        // an informer, like a real controller: it re-lists after a dropped watch. Its resync hands every StatefulSet to
        // apply() again, only a safety net (changes arrive by the watch, apply() is idempotent), so a rare one will do
        this.informer = client.apps().statefulSets().inAnyNamespace().inform(new StatefulSetHandler(), RESYNC_MILLIS);
        this.ticker = Executors.newSingleThreadScheduledExecutor(daemonThreads("fleet-simulator-kubernetes"));
        this.statusWriters = Executors.newFixedThreadPool(STATUS_WRITERS,
                daemonThreads("fleet-simulator-kubernetes-status"));
        long every = Math.max(1, tickInterval.toMillis());
        ticker.scheduleWithFixedDelay(this::writeStatuses, every, every, TimeUnit.MILLISECONDS);
    }

    /** Threads of this name that never keep the JVM alive (a test or the bench that forgets to close still exits). */
    private static ThreadFactory daemonThreads(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** The API server URL to give a fabric8 client ({@code new ConfigBuilder().withMasterUrl(url)}). */
    public String url() {
        return client.getConfiguration().getMasterUrl();
    }

    /** How many requests the simulated API server received so far: a mark for {@link #requestsSince}. */
    public long requestCount() {
        return dispatcher.requestCount();
    }

    /**
     * The requests the simulated API server received after the first {@code count} ("PATCH
     * /apis/apps/v1/namespaces/ns/statefulsets/x"), oldest first, the simulation's own included (it reads StatefulSets
     * and writes their status). The latest ten thousand are kept.
     */
    public List<String> requestsSince(long count) {
        return dispatcher.requestsSince(count, null);
    }

    /**
     * The requests an executor made after the first {@code count}: those bearing {@link #EXECUTOR_TOKEN}, the token
     * {@code FleetSimulator.executorSettings} gives it. What a test reads to show that the executor asked nothing of a
     * namespace or an object meanwhile.
     */
    public List<String> executorRequestsSince(long count) {
        return dispatcher.requestsSince(count, EXECUTOR_TOKEN);
    }

    /** A client on the simulated API server, for tests. */
    public NamespacedKubernetesClient client() {
        return client;
    }

    /** Creates the cluster's StatefulSet, as its first helm install did. */
    public void register(WeaviateCluster cluster) {
        clustersByStatefulSet.put(key(cluster.namespace(), cluster.statefulSetName()), cluster);
        // charts before 17.0.0 (Weaviate < 1.25) used OrderedReady
        String policy = cluster.targetVersion().below("1.25.0") ? "OrderedReady" : "Parallel";
        client.apps().statefulSets().inNamespace(cluster.namespace())
                .resource(statefulSet(cluster, cluster.targetVersion(), policy, null)).create();
        markChanged(cluster);
    }

    /**
     * What {@code helm upgrade --set image.tag=...} does: sets the image of the StatefulSet, or creates
     * it (chart 17+, Parallel) when it was deleted.
     */
    public void setImage(WeaviateCluster cluster, Version version, String stepId) {
        var resource = client.apps().statefulSets().inNamespace(cluster.namespace()).withName(cluster.statefulSetName());
        if (resource.get() == null) {
            resource.create(statefulSet(cluster, version, "Parallel", stepId));
            return;
        }
        resource.edit(sts -> {
            sts.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(IMAGE_REPOSITORY + ":" + version);
            if (stepId != null) {
                Map<String, String> annotations = new HashMap<>();
                if (sts.getMetadata().getAnnotations() != null) {
                    annotations.putAll(sts.getMetadata().getAnnotations());
                }
                annotations.put(STEP_ID_ANNOTATION, stepId);
                sts.getMetadata().setAnnotations(annotations);
            }
            return sts;
        });
    }

    private static StatefulSet statefulSet(WeaviateCluster cluster, Version version, String policy, String stepId) {
        Map<String, String> annotations = new HashMap<>();
        if (stepId != null) {
            annotations.put(STEP_ID_ANNOTATION, stepId);
        }
        return new StatefulSetBuilder()
                .withNewMetadata()
                .withName(cluster.statefulSetName())
                .withNamespace(cluster.namespace())
                .addToLabels("app", "weaviate")
                .addToLabels("app.kubernetes.io/instance", cluster.statefulSetName())
                .withAnnotations(annotations)
                .endMetadata()
                .withNewSpec()
                .withReplicas(cluster.nodeCount())
                .withServiceName(cluster.statefulSetName() + "-headless")
                .withPodManagementPolicy(policy)
                .withNewUpdateStrategy().withType("RollingUpdate").endUpdateStrategy()
                .withNewSelector().addToMatchLabels("app", "weaviate").endSelector()
                .withNewTemplate()
                .withNewMetadata().addToLabels("app", "weaviate").endMetadata()
                .withNewSpec()
                .addNewContainer().withName("weaviate").withImage(IMAGE_REPOSITORY + ":" + version).endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    static String tagOf(StatefulSet sts) {
        String image = sts.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(colon + 1) : "latest";
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    private final class StatefulSetHandler implements ResourceEventHandler<StatefulSet> {
        @Override
        public void onAdd(StatefulSet sts) {
            apply(sts);
        }

        @Override
        public void onUpdate(StatefulSet oldSts, StatefulSet sts) {
            apply(sts);
        }

        @Override
        public void onDelete(StatefulSet sts, boolean finalStateUnknown) {
            String key = key(sts.getMetadata().getNamespace(), sts.getMetadata().getName());
            WeaviateCluster cluster = clustersByStatefulSet.get(key);
            if (cluster != null) {
                cluster.statefulSetDeleted(stepIdOf(sts));
                observedGenerations.remove(key);
                writtenStatus.remove(key);
            }
        }
    }

    /** Brings the simulated cluster in line with its StatefulSet; idempotent, so resyncs are harmless. */
    private void apply(StatefulSet sts) {
        String key = key(sts.getMetadata().getNamespace(), sts.getMetadata().getName());
        WeaviateCluster cluster = clustersByStatefulSet.get(key);
        if (cluster == null) {
            return;
        }
        String stepId = stepIdOf(sts);
        try {
            String tag = tagOf(sts);
            if (!Version.isValid(tag)) {
                LOG.warning(() -> "StatefulSet " + key + " has image tag '" + tag + "', not a version; ignored");
                return;
            }
            Version version = Version.parse(tag);
            if (!cluster.statefulSetPresent()) {
                cluster.statefulSetCreated(version, stepId);
            } else if (!version.equals(cluster.targetVersion())) {
                cluster.changeVersion(version, stepId);
            }
            Long generation = sts.getMetadata().getGeneration();
            if (generation != null && !generation.equals(observedGenerations.put(key, generation))) {
                markChanged(cluster);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot apply StatefulSet " + key, e);
        }
    }

    private static String stepIdOf(StatefulSet sts) {
        return sts.getMetadata().getAnnotations() == null ? null
                : sts.getMetadata().getAnnotations().get(STEP_ID_ANNOTATION);
    }

    private void markChanged(WeaviateCluster cluster) {
        settling.put(cluster, changes.incrementAndGet());
    }

    /** One pass over the clusters whose StatefulSet status may have changed, {@link #STATUS_WRITERS} at a time. */
    private void writeStatuses() {
        List<Callable<Void>> writes = new ArrayList<>();
        for (Map.Entry<WeaviateCluster, Long> entry : settling.entrySet()) {
            WeaviateCluster cluster = entry.getKey();
            long stamp = entry.getValue();
            writes.add(() -> {
                try {
                    boolean stillSettling = cluster.settling(clock.instant());
                    boolean written = writeStatus(cluster);
                    if (!stillSettling && written) {
                        settling.remove(cluster, stamp); // unless it changed again meanwhile
                    }
                } catch (RuntimeException e) {
                    // e.g. the StatefulSet was deleted between the snapshot and the patch
                    LOG.log(Level.FINE, "status update failed; retried on the next tick", e);
                }
                return null;
            });
        }
        try {
            statusWriters.invokeAll(writes);   // the pass ends when every write has: a cluster is written once a pass
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Patches the status subresource when it changed; true when the StatefulSet shows the current state. */
    private boolean writeStatus(WeaviateCluster cluster) {
        String key = key(cluster.namespace(), cluster.statefulSetName());
        if (!cluster.statefulSetPresent()) {
            return true;
        }
        // read once: the informer may record a newer generation while this write is under way
        Long observedGeneration = observedGenerations.get(key);
        WeaviateSnapshot snapshot = cluster.snapshot();
        String target = snapshot.targetVersion();
        String oldVersion = snapshot.nodes().stream().map(WeaviateSnapshot.Node::version)
                .filter(v -> !v.equals(target)).findFirst().orElse(target);
        int ready = (int) snapshot.nodes().stream().filter(WeaviateSnapshot.Node::ready).count();
        int updated = (int) snapshot.nodes().stream().filter(n -> n.version().equals(target)).count();
        int current = (int) snapshot.nodes().stream().filter(n -> n.version().equals(oldVersion)).count();
        JsonObject status = new JsonObject()
                .put("replicas", snapshot.nodes().size())
                // Kubernetes omits zero counts (omitempty); a merge-patch null removes them
                .put("readyReplicas", ready == 0 ? null : ready)
                .put("availableReplicas", ready == 0 ? null : ready)
                .put("currentReplicas", current == 0 ? null : current)
                .put("updatedReplicas", updated == 0 ? null : updated)
                .put("currentRevision", revision(cluster, oldVersion))
                .put("updateRevision", revision(cluster, target))
                .put("observedGeneration", observedGeneration)
                .put("collisionCount", 0);
        String encoded = status.encode();
        if (encoded.equals(writtenStatus.get(key))) {
            return observedGeneration != null;
        }
        client.apps().statefulSets().inNamespace(cluster.namespace()).withName(cluster.statefulSetName())
                .subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), new JsonObject().put("status", status).encode());
        writtenStatus.put(key, encoded);
        return observedGeneration != null;
    }

    /** A stable controller-revision name per image version, like {@code weaviate-6d8f7c9b5}. */
    private static String revision(WeaviateCluster cluster, String version) {
        return cluster.statefulSetName() + "-" + String.format("%09x", version.hashCode() & 0xfffffffL);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        statusWriters.shutdownNow();
        informer.close();
        client.close();
        server.destroy();
    }
}
