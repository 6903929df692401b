package io.stepwise.executor.actuator;

import io.stepwise.executor.handler.ProgressReporter;
import io.stepwise.model.DeploymentKind;
import io.stepwise.model.StepRequested;
import java.util.OptionalInt;

/**
 * Changes what runs: the one place that knows how a cluster is deployed. Handlers ask for a version and then check
 * the product's own API for the result, so an actuator's job ends when the deployment has rolled out the change.
 * Asking for the version a cluster already runs is a no-op.
 */
public interface Actuator {

    DeploymentKind deployment();

    /** The nodes the deployment is meant to run, if it knows: for when the product cannot answer (mid-re-creation). */
    default OptionalInt nodeCount(StepRequested step) {
        return OptionalInt.empty();
    }

    /** Moves every node to {@code version} (a rolling update where the deployment allows it). */
    void setVersion(StepRequested step, String version, ProgressReporter progress);
}
