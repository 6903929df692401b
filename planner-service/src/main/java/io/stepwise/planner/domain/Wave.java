package io.stepwise.planner.domain;

import java.time.Duration;
import java.util.List;

/**
 * One wave of a rollout as stored on it ({@code rollout.waves}, in order; clusters refer to it by number, from 1).
 * {@code pauseAfter}: once every cluster of this wave has ended, the rollout pauses until resumed. {@code maxParallel}
 * and {@code maxFailed}: this wave's own limits, already resolved from a count or a percentage of its clusters (null:
 * the rollout's). {@code waitAfter}: the soak after it ends before the next wave starts (ISO-8601, null: none).
 */
public record Wave(String name, boolean pauseAfter, Integer maxParallel, Integer maxFailed, String waitAfter) {

    /** The single wave of a rollout that asked for none. */
    public static final List<Wave> ONE = List.of(new Wave("all", false));

    public Wave(String name, boolean pauseAfter) {
        this(name, pauseAfter, null, null, null);
    }

    public Duration soak() {
        return waitAfter == null ? null : Duration.parse(waitAfter);
    }
}
