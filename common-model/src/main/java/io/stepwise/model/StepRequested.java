package io.stepwise.model;

import java.util.Map;

/**
 * Data of {@code io.stepwise.step.requested} on {@link Topics#STEPS}: the planner asks the executor to
 * run one step of one cluster's plan. {@code stepId} is stable across attempts; the executor dedupes on
 * ({@code stepId}, {@code attempt}).
 */
public record StepRequested(
        String stepId,
        String rolloutId,
        String clusterId,
        int seq,
        int attempt,
        Product product,
        StepKind kind,
        String toVersion,
        Map<String, Object> params,
        ClusterConnection cluster) {

    public static final String TYPE = "io.stepwise.step.requested";

    public StepRequested {
        params = params == null ? Map.of() : Map.copyOf(params);
    }
}
