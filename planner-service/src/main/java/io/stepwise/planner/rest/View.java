package io.stepwise.planner.rest;

import io.stepwise.planner.domain.InvalidInputException;

/**
 * How much of an answer that grows with the fleet to send ({@code ?view=}): {@code full}, the default, or
 * {@code summary}, which leaves out the per-cluster detail (a plan's steps, a rollout's clusters) so that fleets
 * of thousands can be polled cheaply.
 */
public enum View {
    FULL, SUMMARY;

    /** The view the query parameter names; anything else is a 400 naming the parameter. */
    public static View of(String param) {
        return switch (param) {
            case "full" -> FULL;
            case "summary" -> SUMMARY;
            default -> throw InvalidInputException.of("view", "'" + param + "' is not a view: use full or summary");
        };
    }
}
