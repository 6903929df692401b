package io.stepwise.executor.handler;

import io.stepwise.model.StepRequested;

/**
 * What must be done before a step's handler runs, once its connection checks passed: recording what a cluster holds
 * before a rollout first changes it. One bean per concern, run by {@link StepHandlers#execute}; throwing a
 * {@link StepFailedException} fails the step with nothing changed.
 */
public interface BeforeStep {

    void before(StepRequested step, ProgressReporter progress);
}
