package io.stepwise.model;

import java.util.List;
import java.util.Map;

/**
 * Data of {@code io.stepwise.step.requested} on {@link Topics#STEPS}: the planner asks the executor to
 * run one step of one cluster's plan. {@code stepId} is stable across attempts; the executor dedupes on
 * ({@code stepId}, {@code attempt}). {@code preflight}, when present, is what the executor must find the cluster
 * running before it changes anything; otherwise the step fails with {@link StepStatus#PRECONDITION_FAILED}.
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
        ClusterConnection cluster,
        Preflight preflight) {

    public static final String TYPE = "io.stepwise.step.requested";

    /**
     * What the cluster must run when the step's attempt first starts: every node at one of {@code versions} (the
     * version before the step; a retry also accepts the step's own target, which an earlier attempt may have
     * reached on some nodes), and {@code nodes} nodes when known (null: not checked).
     */
    public record Preflight(List<String> versions, Integer nodes) {

        public Preflight {
            versions = List.copyOf(versions);
        }
    }

    public StepRequested {
        params = params == null ? Map.of() : Map.copyOf(params);
    }

    /** A step the executor runs without a pre-flight check. */
    public StepRequested(String stepId, String rolloutId, String clusterId, int seq, int attempt, Product product,
                         StepKind kind, String toVersion, Map<String, Object> params, ClusterConnection cluster) {
        this(stepId, rolloutId, clusterId, seq, attempt, product, kind, toVersion, params, cluster, null);
    }
}
