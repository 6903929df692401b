package io.stepwise.planner.service;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.stepwise.planner.config.OrchestrationConfig;
import io.stepwise.planner.lifecycle.RolloutLifecycle;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** The safety net for a lost executor: steps with no status for too long fail with a reason people can read. */
@ApplicationScoped
public class StepTimeouts {

    private final RolloutLifecycle lifecycle;
    private final RolloutService rollouts;
    private final OrchestrationConfig config;

    public StepTimeouts(RolloutLifecycle lifecycle, RolloutService rollouts, OrchestrationConfig config) {
        this.lifecycle = lifecycle;
        this.rollouts = rollouts;
        this.config = config;
    }

    @Scheduled(every = "{stepwise.rollouts.timeout-check-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void check() {
        int failed = lifecycle.failSilentSteps(config.stepTimeout());
        if (failed > 0) {
            Log.warnf("%d step(s) timed out without a status from the executor", failed);
        }
        int probed = rollouts.startOverdueProbes(config.probeTimeout());
        if (probed > 0) {
            Log.warnf("%d rollout(s) started without an answer to some of their probes", probed);
        }
        int started = lifecycle.startOverdueRetries(config.attemptStopGrace());
        if (started > 0) {
            Log.warnf("%d retried step(s) started without the end of the attempt before them", started);
        }
    }
}
