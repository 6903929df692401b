package io.stepwise.executor.handler;

import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;

/**
 * Runs one kind of step for one product against a real cluster. Implementations are blocking (they
 * poll until the cluster reaches the requested state) and idempotent: running the same step again
 * after a crash adopts whatever the first attempt already did.
 *
 * <p>A handler may throw {@link StepFailedException} (or any runtime exception) instead of returning
 * a failed outcome; {@link StepHandlers#execute} turns every throwable into a failed outcome, so a
 * caller never has to.
 */
public interface StepHandler {

    Product product();

    StepKind kind();

    StepOutcome run(StepRequested step, ProgressReporter progress);
}
