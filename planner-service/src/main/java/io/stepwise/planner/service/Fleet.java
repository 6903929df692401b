package io.stepwise.planner.service;

import io.stepwise.planner.domain.Cluster;
import java.util.List;
import java.util.Map;

/**
 * A view over the inventory: one page of the clusters a selector matches, the unfinished rollout holding each (by
 * cluster id, absent when none), and how many of all the matching clusters run each version.
 */
public record Fleet(Page<Cluster> clusters, Map<String, String> rolloutOf, List<VersionCount> versions) {

    public record VersionCount(String product, String version, long clusters) {
    }
}
