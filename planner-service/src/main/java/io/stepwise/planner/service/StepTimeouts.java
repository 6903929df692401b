package io.stepwise.planner.service;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** The safety net for a lost executor: steps with no status for too long fail with a reason people can read. */
@ApplicationScoped
public class StepTimeouts {

    private final RolloutService rollouts;

    public StepTimeouts(RolloutService rollouts) {
        this.rollouts = rollouts;
    }

    @Scheduled(every = "{stepwise.rollouts.timeout-check-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        int failed = rollouts.failTimedOutSteps();
        if (failed > 0) {
            Log.warnf("%d step(s) timed out without a status from the executor", failed);
        }
    }
}
