package io.stepwise.planner.domain;

/**
 * A gate of a rollout: before a wave starts or after it has ended, the rollout waits until a person with
 * {@code role} approves. {@code key()} names it in {@code rollout.passed} and in the API ("before:prod").
 */
public record Gate(String when, String wave, String role) {

    public static final String BEFORE = "before";
    public static final String AFTER = "after";

    public String key() {
        return when + ":" + wave;
    }
}
