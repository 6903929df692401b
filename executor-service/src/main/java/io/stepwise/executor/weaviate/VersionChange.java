package io.stepwise.executor.weaviate;

import io.stepwise.executor.actuator.Actuator;
import io.stepwise.executor.actuator.Actuators;
import io.stepwise.executor.config.ExecutorConfig;
import io.stepwise.executor.handler.ProgressReporter;
import io.stepwise.executor.handler.StepFailedException;
import io.stepwise.executor.handler.StepOutcome;
import io.stepwise.executor.handler.StepParams;
import io.stepwise.executor.weaviate.WeaviateDtos.NodesStatusResponse;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * What UPGRADE, DOWNGRADE and RAFT_MIGRATION share: count the nodes, ask the cluster's actuator for
 * the version, then wait until /v1/nodes shows every node HEALTHY at exactly that version. The
 * actuator's own "rolled out" is not trusted alone: Weaviate's answer is what a user would check.
 */
@ApplicationScoped
public class VersionChange {

    enum Direction { UP, DOWN, ANY }

    private final WeaviateClient client;
    private final WeaviateNodes nodes;
    private final Actuators actuators;
    private final ExecutorConfig.Weaviate config;

    public VersionChange(WeaviateClient client, WeaviateNodes nodes, Actuators actuators, ExecutorConfig config) {
        this.client = client;
        this.nodes = nodes;
        this.actuators = actuators;
        this.config = config.weaviate();
    }

    StepOutcome run(StepRequested step, ProgressReporter progress, Direction direction, String label,
            ActuatorCall call) {
        return run(step, progress, direction, label, false, call);
    }

    /** {@code resumable}: a retry may find no pod serving (a re-creation interrupted) and goes on; else it refuses. */
    StepOutcome run(StepRequested step, ProgressReporter progress, Direction direction, String label,
            boolean resumable, ActuatorCall call) {
        String version = StepParams.requiredVersion(step);
        Actuator actuator = actuators.forCluster(step.clusterId(), step.cluster());
        NodesStatusResponse before;
        try {
            before = client.nodes(step);
        } catch (WeaviateApiException | WeaviateUnavailableException e) {
            // No pod serves, e.g. a RAFT_MIGRATION retried after a crash between delete and re-create:
            // go on only if the node count is known elsewhere, and the version change will bring the pods back.
            if (!resumable || (e instanceof WeaviateApiException api && !api.isTransient())) {
                throw new StepFailedException("cluster " + step.clusterId() + " does not answer /v1/nodes before the "
                        + label + " (" + e.getMessage() + "); refusing to change the version of a cluster that is down",
                        null, e);
            }
            before = new NodesStatusResponse(java.util.List.of());
            progress.report("Weaviate does not answer before the " + label + " (" + e.getMessage() + "); going on");
        }
        NodesStatusResponse seen = before;
        int expected = StepParams.integer(step, "expectedNodes")
                .or(() -> seen.nodes().isEmpty() ? optional(actuator.nodeCount(step)) : Optional.of(seen.nodes().size()))
                .orElse(0);
        if (expected == 0) {
            throw new StepFailedException("cannot tell how many nodes cluster " + step.clusterId() + " has (/v1/nodes lists "
                    + "none, the deployment does not say, the step has no expectedNodes); nothing was changed");
        }
        checkDirection(step, before, version, direction, label);
        progress.report(label + " of " + expected + " nodes to " + version + " through the " + actuator.deployment().id()
                + " actuator", WeaviateNodes.commonVersion(before));
        call.apply(actuator, step, version, progress);
        NodesStatusResponse after = nodes.awaitAllAt(step, version, expected, config.rolloutTimeout(), progress);
        return StepOutcome.succeeded(label + " done: all " + after.nodes().size() + " nodes HEALTHY at " + version, version);
    }

    private static Optional<Integer> optional(java.util.OptionalInt i) {
        return i.isPresent() ? Optional.of(i.getAsInt()) : Optional.empty();
    }

    /** True when the cluster runs 1.25+ and the target is below 1.25. */
    boolean crossesRaftLineDownwards(StepRequested step, String version) {
        String current = WeaviateNodes.commonVersion(client.nodes(step));
        return WeaviateVersion.parse(version).map(v -> v.isBefore(1, 25)).orElse(false)
                && Optional.ofNullable(current).flatMap(WeaviateVersion::parse).map(v -> !v.isBefore(1, 25)).orElse(false);
    }

    /** An UPGRADE that would go down (or the reverse) is a planning error; refuse before touching anything. */
    private static void checkDirection(StepRequested step, NodesStatusResponse before, String version, Direction direction,
            String label) {
        Optional<WeaviateVersion> target = WeaviateVersion.parse(version);
        Optional<WeaviateVersion> current = Optional.ofNullable(WeaviateNodes.commonVersion(before)).flatMap(WeaviateVersion::parse);
        if (target.isEmpty()) {
            throw new StepFailedException("'" + version + "' is not a Weaviate version; nothing was changed");
        }
        if (current.isEmpty() || direction == Direction.ANY) {
            return;
        }
        int cmp = target.get().compareTo(current.get());
        if ((direction == Direction.UP && cmp < 0) || (direction == Direction.DOWN && cmp > 0)) {
            throw new StepFailedException(label + " to " + version + " refused: cluster " + step.clusterId() + " is at "
                    + WeaviateNodes.commonVersion(before) + ", so that would go the other way; nothing was changed",
                    WeaviateNodes.commonVersion(before), null);
        }
    }

    @FunctionalInterface
    interface ActuatorCall {
        void apply(Actuator actuator, StepRequested step, String version, ProgressReporter progress);
    }

}
