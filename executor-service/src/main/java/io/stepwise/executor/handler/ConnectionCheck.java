package io.stepwise.executor.handler;

import io.stepwise.model.StepRequested;

/**
 * A check of what a step's cluster connection asks the executor to do (which secret, which endpoint, which namespace,
 * which environment, which flags), run by {@link StepHandlers} before a step, a pre-flight check or a probe touches
 * anything: a refused connection fails the step with nothing sent and nothing changed. One bean per concern; product
 * packages add their own.
 */
public interface ConnectionCheck {

    /** Throws {@link StepFailedException} naming what is refused and the setting that would allow it. */
    void check(StepRequested step);
}
