package io.stepwise.planner.lifecycle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.model.ClusterConnection;
import io.stepwise.model.LifecycleEvent;
import io.stepwise.model.Product;
import io.stepwise.model.StepRequested;
import io.stepwise.model.Topics;
import io.stepwise.outbox.Outbox;
import io.stepwise.planner.domain.Rollout;
import io.stepwise.planner.domain.RolloutCluster;
import io.stepwise.planner.domain.RolloutStep;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
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

    void rollout(Rollout rollout, String type, String state, String message) {
        publish(rollout, rollout.id, null, type, state, message);
    }

    void cluster(Rollout rollout, String clusterId, String type, String state, String message) {
        publish(rollout, clusterId, clusterId, type, state, message);
    }

    private void publish(Rollout rollout, String key, String clusterId, String type, String state, String message) {
        outbox.publish(Topics.ROLLOUTS, key, type, rollout.id,
                new LifecycleEvent(type, rollout.id, clusterId, state, message, Instant.now()));
    }

    /** Asks the executor to run the step's current attempt. */
    void stepRequested(Rollout rollout, RolloutCluster cluster, RolloutStep step) {
        StepRequested request = new StepRequested(step.stepId, rollout.id, cluster.clusterId(), step.seq, step.attempts,
                Product.fromId(rollout.product).orElseThrow(), step.kind, step.toVersion, params(step.params),
                connection(cluster.connection));
        outbox.publish(Topics.STEPS, cluster.clusterId(), StepRequested.TYPE, step.stepId, request);
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
