package io.stepwise.planner.service;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.stepwise.planner.lifecycle.RolloutLifecycle;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What time alone moves on, by the planner's clock: scheduled rollouts whose startAt came, soaks whose time is up,
 * clusters deferred by a freeze or a maintenance window that may go on now.
 */
@ApplicationScoped
public class TimedTransitions {

    private final RolloutLifecycle lifecycle;
    private final RolloutService rollouts;

    public TimedTransitions(RolloutLifecycle lifecycle, RolloutService rollouts) {
        this.lifecycle = lifecycle;
        this.rollouts = rollouts;
    }

    @Scheduled(every = "{stepwise.rollouts.calendar-check-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void check() {
        int started = rollouts.startDue();
        int soaked = QuarkusTransaction.requiringNew().call(lifecycle::endDueWaits);
        int admitted = QuarkusTransaction.requiringNew().call(lifecycle::admitDeferred);
        if (started + soaked + admitted > 0) {
            Log.infof("On time: %d scheduled rollout(s) started, %d soak(s) ended, %d deferred cluster(s) went on",
                    started, soaked, admitted);
        }
    }
}
