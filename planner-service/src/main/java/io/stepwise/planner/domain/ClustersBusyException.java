package io.stepwise.planner.domain;

import java.util.List;

/** Clusters a new rollout selected that other unfinished rollouts hold; nothing was started. */
public class ClustersBusyException extends ConflictException {

    /** A cluster, and the unfinished rollout that holds it. */
    public record BusyCluster(String clusterId, String rolloutId) {
    }

    private final List<BusyCluster> busy;

    public ClustersBusyException(List<BusyCluster> busy) {
        super(busy.size() + " of the selected clusters belong to unfinished rollouts: " + String.join(", ",
                busy.stream().limit(10).map(b -> b.clusterId() + " (rollout " + b.rolloutId() + ")").toList())
                + (busy.size() > 10 ? ", ..." : "") + ". Wait for those rollouts, cancel them, or send"
                + " \"busyClusters\": \"skip\" to leave these clusters out");
        this.busy = List.copyOf(busy);
    }

    public List<BusyCluster> busy() {
        return busy;
    }
}
