package io.stepwise.executor.actuator;

import io.stepwise.executor.handler.ProgressReporter;
import io.stepwise.model.DeploymentKind;
import io.stepwise.model.StepRequested;

/**
 * Changes what runs: the one place that knows how a cluster is deployed. Handlers ask for a version
 * and then check the product's own API (for Weaviate /v1/nodes) for the result, so an actuator's
 * job ends when the deployment has accepted and rolled out the change.
 * Both operations are idempotent: asking for the version a cluster already runs is a no-op.
 */
public interface Actuator {

    DeploymentKind deployment();

    /**
     * How many nodes the deployment is meant to run, when it knows (a StatefulSet's replicas, even one
     * deleted mid-migration); used when Weaviate itself cannot answer, e.g. on a retry after a crash.
     */
    default java.util.OptionalInt nodeCount(StepRequested step) {
        return java.util.OptionalInt.empty();
    }

    /** Moves every node to {@code version} (a rolling update where the deployment allows it). */
    void setVersion(StepRequested step, String version, ProgressReporter progress);

    /**
     * A hop across the Weaviate 1.25 Raft line, either way (RAFT_MIGRATION up, or a DOWNGRADE below 1.25
     * after SCHEMA_DOWNGRADE): on Kubernetes the StatefulSet is deleted keeping pods and volumes, then
     * re-applied with the new image, because its podManagementPolicy (Parallel from chart 17, for
     * 1.25+; OrderedReady before) cannot change on a live StatefulSet. Elsewhere whatever the
     * deployment needs before the version change, then the change.
     */
    void raftMigration(StepRequested step, String version, ProgressReporter progress);
}
