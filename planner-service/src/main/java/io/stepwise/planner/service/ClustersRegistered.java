package io.stepwise.planner.service;

import io.stepwise.planner.domain.Cluster;
import java.util.List;

/** Clusters newly registered in the inventory, by one request, in its transaction (rollouts may follow them). */
public record ClustersRegistered(List<Cluster> clusters, String actor) {
}
