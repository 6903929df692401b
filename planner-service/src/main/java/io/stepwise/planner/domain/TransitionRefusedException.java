package io.stepwise.planner.domain;

/** An event that the rollout's lifecycle does not allow in the state its rollout, cluster or step is in. */
public class TransitionRefusedException extends ConflictException {

    public TransitionRefusedException(String message) {
        super(message);
    }
}
