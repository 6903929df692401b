package io.stepwise.executor.handler;

import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;

/**
 * Runs one kind of step for one product against a real cluster: blocking until the cluster reaches the state, and
 * idempotent (a rerun after a crash adopts what the first attempt did). It may throw instead of returning a failed
 * outcome: {@link StepHandlers#execute} turns every exception into one.
 */
public interface StepHandler {

    Product product();

    StepKind kind();

    StepOutcome run(StepRequested step, ProgressReporter progress);
}
