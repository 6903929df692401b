package io.stepwise.planner.domain;

/** The request names something that does not exist (a rollout, a registered cluster, a cluster of a rollout). */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message, null, false, false);
    }
}
