package io.stepwise.planner.domain;

import java.util.List;

/**
 * One wave of a rollout as stored on it ({@code rollout.waves}, in order; clusters refer to it by number, from
 * 1). {@code pauseAfter}: once every cluster of this wave has ended, the rollout pauses until resumed.
 */
public record Wave(String name, boolean pauseAfter) {

    /** The single wave of a rollout that asked for none. */
    public static final List<Wave> ONE = List.of(new Wave("all", false));
}
