package io.stepwise.model;

/**
 * Data of {@code io.stepwise.cluster.probe-requested} on {@link Topics#STEPS}: the planner asks the executor to read
 * what a cluster really runs (its version on every node, and its node count), changing nothing. Answered by a
 * {@link ProbeResult}.
 */
public record ProbeRequested(String probeId, String clusterId, Product product, ClusterConnection cluster) {

    public static final String TYPE = "io.stepwise.cluster.probe-requested";
}
