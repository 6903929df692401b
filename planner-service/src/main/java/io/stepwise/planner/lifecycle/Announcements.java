package io.stepwise.planner.lifecycle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.model.ClusterConnection;
import io.stepwise.model.DeploymentKind;
import io.stepwise.model.LifecycleEvent;
import io.stepwise.model.ProbeRequested;
import io.stepwise.model.Product;
import io.stepwise.model.StepCancel;
import io.stepwise.model.StepRequested;
import io.stepwise.model.StepRequested.Preflight;
import io.stepwise.model.Topics;
import io.stepwise.outbox.Outbox;
import io.stepwise.planner.domain.Cluster;
import io.stepwise.planner.domain.Rollout;
import io.stepwise.planner.domain.RolloutCluster;
import io.stepwise.planner.domain.RolloutStep;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the lifecycle tells the world, through the outbox so that it leaves only with the change it announces: step
 * requests to the executor, and lifecycle events for subscribers.
 */
@ApplicationScoped
class Announcements {

    private final Outbox outbox;
    private final ObjectMapper json;

    Announcements(Outbox outbox, ObjectMapper json) {
        this.outbox = outbox;
        this.json = json;
    }

    void rollout(Rollout rollout, String actor, String type, String state, String message) {
        publish(rollout, rollout.id, null, actor, type, state, message);
    }

    void cluster(Rollout rollout, String actor, String clusterId, String type, String state, String message) {
        publish(rollout, clusterId, clusterId, actor, type, state, message);
    }

    private void publish(Rollout rollout, String key, String clusterId, String actor, String type, String state,
                         String message) {
        outbox.publish(Topics.ROLLOUTS, key, type, rollout.id,
                new LifecycleEvent(type, rollout.id, clusterId, state, message, Instant.now(), actor));
    }

    /**
     * Asks the executor to run the step's current attempt, with what the cluster must run when it starts: a retry
     * may also find the version an earlier attempt moved some nodes to.
     */
    void stepRequested(Rollout rollout, RolloutCluster cluster, RolloutStep step) {
        Product product = Product.fromId(rollout.product).orElseThrow();
        Preflight preflight = null;
        if (step.preflightVersion != null) {
            List<String> versions = step.attempts > 1 && step.toVersion != null
                    && !step.toVersion.equals(step.preflightVersion)
                    ? List.of(step.preflightVersion, step.toVersion) : List.of(step.preflightVersion);
            preflight = new Preflight(versions, product == Product.WEAVIATE ? cluster.nodes : null);
        }
        StepRequested request = new StepRequested(step.stepId, rollout.id, cluster.clusterId(), step.seq, step.attempts,
                product, step.kind, step.toVersion, params(step.params), connection(cluster.connection), preflight);
        outbox.publish(Topics.STEPS, cluster.clusterId(), StepRequested.TYPE, step.stepId, request);
    }

    /** Asks the executor to read what the cluster runs, changing nothing. */
    void probe(String probeId, Product product, Cluster cluster) {
        outbox.publish(Topics.STEPS, cluster.id, ProbeRequested.TYPE, probeId, new ProbeRequested(probeId, cluster.id,
                product, connectionOf(cluster)));
    }

    /** How the executor reaches a registered cluster. */
    static ClusterConnection connectionOf(Cluster c) {
        return new ClusterConnection(c.endpoint, DeploymentKind.fromId(c.deployment).orElse(null), c.namespace,
                c.statefulSet, c.helmRelease, c.credentialsRef, c.extra, c.labels);
    }

    /** Asks the executor to stop the step's current attempt at its next safe poll. */
    void stepCancel(Rollout rollout, RolloutStep step, String reason) {
        outbox.publish(Topics.STEPS, step.clusterId, StepCancel.TYPE, step.stepId, new StepCancel(step.stepId,
                rollout.id, step.clusterId, step.seq, step.attempts, reason));
    }

    private Map<String, Object> params(String text) {
        try {
            return json.readValue(text, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored step params cannot be read", e);
        }
    }

    private ClusterConnection connection(String text) {
        try {
            return text == null ? null : json.readValue(text, ClusterConnection.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored cluster connection cannot be read", e);
        }
    }
}
