package io.stepwise.executor.actuator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.logging.Log;
import io.stepwise.executor.config.ExecutorConfig;
import io.stepwise.executor.config.KubernetesNamespaces;
import io.stepwise.executor.config.Names;
import io.stepwise.executor.handler.Poll;
import io.stepwise.executor.handler.StepControl;
import io.stepwise.executor.handler.ProgressReporter;
import io.stepwise.executor.handler.StepFailedException;
import io.stepwise.model.ClusterConnection;
import io.stepwise.model.DeploymentKind;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * Changes a cluster's StatefulSet through the Kubernetes API: the container's image tag is the version. What a live
 * StatefulSet cannot change (its podManagementPolicy) takes a re-creation: delete with orphan propagation (pods and
 * volumes stay), create again. The manifest is saved in a ConfigMap first, so a retry after a crash in between still
 * knows what to re-create.
 */
@ApplicationScoped
public class KubernetesActuator implements Actuator {

    static final String SAVED_MANIFEST_KEY = "statefulset.json";
    /** Names the step that last changed a StatefulSet, for people (kubectl describe) and the simulator. */
    public static final String STEP_ID_ANNOTATION = "stepwise.io/step-id";
    private static final int CONFLICT_RETRIES = 5;

    private final KubernetesClient kubernetes;
    private final ExecutorConfig.Kubernetes config;
    private final KubernetesNamespaces namespaces;

    public KubernetesActuator(KubernetesClient kubernetes, ExecutorConfig config, KubernetesNamespaces namespaces) {
        this.kubernetes = kubernetes;
        this.config = config.actuator().kubernetes();
        this.namespaces = namespaces;
    }

    @Override
    public DeploymentKind deployment() {
        return DeploymentKind.KUBERNETES;
    }

    @Override
    public OptionalInt nodeCount(StepRequested step) {
        Target target = target(step);
        StatefulSet sts = Optional.ofNullable(target.resource().get()).or(() -> loadManifest(target)).orElse(null);
        if (sts == null || sts.getSpec().getReplicas() == null) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(sts.getSpec().getReplicas());
    }

    @Override
    public void setVersion(StepRequested step, String version, ProgressReporter progress) {
        Target target = target(step);
        StatefulSet current = target.resource().get();
        if (current == null) {
            throw new StepFailedException("StatefulSet " + target + " does not exist; cannot change the version of cluster "
                    + step.clusterId());
        }
        String image = imageOf(current, target);
        String wanted = withTag(image, version);
        boolean changed = !wanted.equals(image);
        if (changed) {
            progress.report("setting the image of StatefulSet " + target + " to " + wanted);
            setImage(step, current, wanted);
        } else {
            progress.report("StatefulSet " + target + " already has image " + wanted);
        }
        awaitRollout(step, target, wanted, changed, progress);
    }

    /**
     * Re-creates the StatefulSet with the image at {@code version} and {@code podManagementPolicy}, keeping its pods
     * and volumes, then waits for the rollout. A StatefulSet that already has both is only waited for.
     */
    public void recreate(StepRequested step, String version, String podManagementPolicy, ProgressReporter progress) {
        Target target = target(step);
        StatefulSet current = target.resource().get();
        if (current != null) {
            String wanted = withTag(imageOf(current, target), version);
            if (wanted.equals(imageOf(current, target))
                    && podManagementPolicy.equals(current.getSpec().getPodManagementPolicy())) {
                progress.report("StatefulSet " + target + " was already re-created with " + wanted);
                awaitRollout(step, target, wanted, false, progress);
                return;
            }
        }
        // Deleted and not yet created again, the cluster has no StatefulSet: a cancel waits until it has one.
        String wanted = StepControl.uninterrupted("re-creating StatefulSet " + target,
                () -> deleteAndCreate(step, target, current, version, podManagementPolicy, progress));
        awaitRollout(step, target, wanted, true, progress);
        deleteSavedManifest(target);
    }

    private String deleteAndCreate(StepRequested step, Target target, StatefulSet current, String version,
                                   String podManagementPolicy, ProgressReporter progress) {
        StatefulSet template;
        if (current != null) {
            saveManifest(target, current);
            progress.report("deleting StatefulSet " + target + " keeping its pods and volumes (propagation Orphan)");
            deleteOrphan(step, target);
            template = current;
        } else {
            template = loadManifest(target).orElseThrow(() -> new StepFailedException("StatefulSet " + target
                    + " does not exist and no saved manifest (ConfigMap " + savedName(target) + ") was found; cannot re-create it"));
            progress.report("StatefulSet " + target + " is already deleted; re-creating it from ConfigMap " + savedName(target));
        }
        StatefulSet fresh = recreated(template, target, version, podManagementPolicy);
        annotate(fresh.getMetadata(), step);
        String wanted = imageOf(fresh, target);
        progress.report("re-creating StatefulSet " + target + " with " + wanted + " and podManagementPolicy "
                + fresh.getSpec().getPodManagementPolicy());
        try {
            kubernetes.apps().statefulSets().inNamespace(target.namespace()).resource(fresh).create();
        } catch (KubernetesClientException e) {
            throw new StepFailedException("could not re-create StatefulSet " + target + " after deleting it (its manifest is "
                    + "saved in ConfigMap " + savedName(target) + "): " + e.getMessage(), e);
        }
        return wanted;
    }

    /**
     * Sets the image with a JSON patch built from the StatefulSet just read (no second read and diff, as fabric8's
     * {@code edit} does), testing the container is still at that position; if not, edits it read-modify-write.
     */
    void setImage(StepRequested step, StatefulSet current, String image) {
        Target target = target(step);
        List<Container> containers = current.getSpec().getTemplate().getSpec().getContainers();
        Container container = container(current, target);
        String at = "/spec/template/spec/containers/" + containers.indexOf(container);
        ArrayNode patch = JsonNodeFactory.instance.arrayNode();
        patch.addObject().put("op", "test").put("path", at + "/name").put("value", container.getName());
        patch.addObject().put("op", "replace").put("path", at + "/image").put("value", image);
        if (current.getMetadata().getAnnotations() == null) {
            patch.addObject().put("op", "add").put("path", "/metadata/annotations")
                    .putObject("value").put(STEP_ID_ANNOTATION, step.stepId());
        } else {
            // "~1" is "/" in a JSON pointer (RFC 6901)
            patch.addObject().put("op", "add").put("path", "/metadata/annotations/"
                    + STEP_ID_ANNOTATION.replace("~", "~0").replace("/", "~1")).put("value", step.stepId());
        }
        try {
            target.resource().patch(PatchContext.of(PatchType.JSON), patch.toString());
        } catch (KubernetesClientException e) {
            Log.debugf("JSON patch of StatefulSet %s failed (%s); editing it instead", target, e.getMessage());
            edit(target, sts -> {
                container(sts, target).setImage(image);
                annotate(sts.getMetadata(), step);
                return sts;
            });
        }
    }

    /** The controller writes the status all the time, so an edit can meet 409 Conflict: read again and retry. */
    private static void edit(Target target, UnaryOperator<StatefulSet> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                target.resource().edit(change);
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= CONFLICT_RETRIES) {
                    throw new StepFailedException("could not patch StatefulSet " + target + ": " + e.getMessage(), e);
                }
                Log.debugf("StatefulSet %s changed while patching it (attempt %d); retrying", target, attempt);
            }
        }
    }

    private static void annotate(ObjectMeta metadata, StepRequested step) {
        if (metadata.getAnnotations() == null) {
            metadata.setAnnotations(new HashMap<>());
        }
        metadata.getAnnotations().put(STEP_ID_ANNOTATION, step.stepId());
    }

    private void deleteOrphan(StepRequested step, Target target) {
        try {
            // The delete carries no body the simulator could read the step from, so mark the object first.
            edit(target, sts -> {
                annotate(sts.getMetadata(), step);
                return sts;
            });
            target.resource().withPropagationPolicy(DeletionPropagation.ORPHAN).delete();
        } catch (KubernetesClientException e) {
            throw new StepFailedException("could not delete StatefulSet " + target + ": " + e.getMessage(), e);
        }
        Poll.<StatefulSet>waitingFor("StatefulSet " + target + " to be deleted")
                .every(config.pollInterval())
                .atMost(config.deleteTimeout())
                .describedBy(s -> s == null ? "deleted" : "still present")
                .until(() -> target.resource().get(), Objects::isNull);
    }

    /** Waits until every replica is updated and ready; right after a change, the controller gets a pause first. */
    private void awaitRollout(StepRequested step, Target target, String wantedImage, boolean justChanged,
                              ProgressReporter progress) {
        AtomicReference<String> last = new AtomicReference<>();
        Poll.<StatefulSet>waitingFor("the rollout of StatefulSet " + target + " to " + wantedImage)
                .pausingFirst(justChanged)
                .every(config.pollInterval())
                .atMost(config.rolloutTimeout())
                .describedBy(KubernetesActuator::describeStatus)
                .onEach(sts -> {
                    String line = describeStatus(sts);
                    if (!line.equals(last.getAndSet(line))) {
                        progress.report("StatefulSet " + target + ": " + line);
                    }
                })
                .until(() -> target.resource().get(), sts -> sts != null && wantedImage.equals(imageOf(sts, target))
                        && rolledOut(sts));
        Log.infof("cluster %s: StatefulSet %s rolled out %s", step.clusterId(), target, wantedImage);
    }

    static boolean rolledOut(StatefulSet sts) {
        int replicas = sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas();
        StatefulSetStatus status = sts.getStatus();
        if (status == null) {
            return false;
        }
        Long generation = sts.getMetadata().getGeneration();
        Long observed = status.getObservedGeneration();
        // Until the controller has seen the latest spec, the status describes the previous one.
        if (generation != null && (observed == null || observed < generation)) {
            return false;
        }
        if (status.getUpdateRevision() != null && status.getCurrentRevision() != null
                && !status.getUpdateRevision().equals(status.getCurrentRevision())) {
            return false;
        }
        return nz(status.getUpdatedReplicas()) >= replicas && nz(status.getReadyReplicas()) >= replicas;
    }

    static String describeStatus(StatefulSet sts) {
        if (sts == null) {
            return "absent";
        }
        int replicas = sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas();
        StatefulSetStatus s = sts.getStatus();
        if (s == null) {
            return "no status yet (0 of " + replicas + " ready)";
        }
        return nz(s.getUpdatedReplicas()) + " of " + replicas + " replicas updated, " + nz(s.getReadyReplicas()) + " ready";
    }

    private static int nz(Integer i) {
        return i == null ? 0 : i;
    }

    private StatefulSet recreated(StatefulSet template, Target target, String version, String podManagementPolicy) {
        StatefulSet copy = kubernetes.getKubernetesSerialization().clone(template);
        ObjectMeta old = copy.getMetadata();
        copy.setMetadata(new ObjectMetaBuilder()
                .withName(old.getName())
                .withNamespace(old.getNamespace())
                .withLabels(old.getLabels())
                .withAnnotations(old.getAnnotations() == null ? new HashMap<>() : new HashMap<>(old.getAnnotations()))
                .build());
        copy.setStatus(null);
        copy.getSpec().setPodManagementPolicy(podManagementPolicy);
        Container container = container(copy, target);
        container.setImage(withTag(container.getImage(), version));
        return copy;
    }

    private void saveManifest(Target target, StatefulSet sts) {
        ConfigMap saved = new ConfigMapBuilder()
                .withMetadata(new ObjectMetaBuilder().withName(savedName(target)).withNamespace(target.namespace())
                        .withLabels(Map.of("app.kubernetes.io/managed-by", "stepwise")).build())
                .withData(Map.of(SAVED_MANIFEST_KEY, kubernetes.getKubernetesSerialization().asJson(sts)))
                .build();
        try {
            kubernetes.configMaps().inNamespace(target.namespace()).resource(saved)
                    .createOr(NonDeletingOperation::update);
        } catch (KubernetesClientException e) {
            // Without a saved copy a crash after the delete would lose the manifest: do not delete.
            throw new StepFailedException("could not save the manifest of StatefulSet " + target + " to ConfigMap "
                    + savedName(target) + " before deleting it; nothing was deleted: " + e.getMessage(), e);
        }
    }

    private Optional<StatefulSet> loadManifest(Target target) {
        ConfigMap saved = kubernetes.configMaps().inNamespace(target.namespace()).withName(savedName(target)).get();
        if (saved == null || saved.getData() == null || !saved.getData().containsKey(SAVED_MANIFEST_KEY)) {
            return Optional.empty();
        }
        return Optional.of(kubernetes.getKubernetesSerialization()
                .unmarshal(saved.getData().get(SAVED_MANIFEST_KEY), StatefulSet.class));
    }

    private void deleteSavedManifest(Target target) {
        try {
            kubernetes.configMaps().inNamespace(target.namespace()).withName(savedName(target)).delete();
        } catch (KubernetesClientException e) {
            Log.warnf("could not delete ConfigMap %s/%s (harmless): %s", target.namespace(), savedName(target), e.getMessage());
        }
    }

    private static String savedName(Target target) {
        return "stepwise-saved-sts-" + target.name();
    }

    private String imageOf(StatefulSet sts, Target target) {
        return container(sts, target).getImage();
    }

    private Container container(StatefulSet sts, Target target) {
        List<Container> containers = sts.getSpec().getTemplate().getSpec().getContainers();
        if (containers.size() == 1) {
            return containers.get(0);
        }
        return containers.stream().filter(c -> config.container().equals(c.getName())).findFirst()
                .orElseThrow(() -> new StepFailedException("StatefulSet " + target + " has no container named '"
                        + config.container() + "' (stepwise.executor.actuator.kubernetes.container) among "
                        + containers.stream().map(Container::getName).toList()));
    }

    /** {@code registry:5000/team/app:1.2.3} → the same repository with the new tag (a digest is dropped). */
    static String withTag(String image, String tag) {
        String repo = image;
        int at = repo.indexOf('@');
        if (at >= 0) {
            repo = repo.substring(0, at);
        }
        int colon = repo.lastIndexOf(':');
        if (colon > repo.lastIndexOf('/')) {
            repo = repo.substring(0, colon);
        }
        return repo + ":" + tag;
    }

    private Target target(StepRequested step) {
        ClusterConnection c = step.cluster();
        String namespace = c.namespace() == null || c.namespace().isBlank() ? kubernetes.getNamespace() : c.namespace();
        String name = c.statefulSet() == null || c.statefulSet().isBlank() ? c.helmRelease() : c.statefulSet();
        if (namespace == null || name == null || name.isBlank()) {
            throw new StepFailedException("cluster " + step.clusterId() + " is deployed on Kubernetes but names no "
                    + "StatefulSet (statefulSet) or namespace; nothing was changed");
        }
        // before any call: a name that is not DNS-1123, or a namespace not listed, is refused here
        namespaces.require(namespace, step.clusterId());
        Names.require(Names.DNS_SUBDOMAIN, "statefulSet", name, step.clusterId());
        return new Target(namespace, name, kubernetes.apps().statefulSets().inNamespace(namespace).withName(name));
    }

    private record Target(String namespace, String name, RollableScalableResource<StatefulSet> resource) {
        @Override
        public String toString() {
            return namespace + "/" + name;
        }
    }
}
