package io.stepwise.simulator.weaviate;

import java.util.List;
import java.util.Map;

/**
 * The state of a simulated Weaviate cluster at one moment, as tests and the admin API see it.
 *
 * @param version       the version the answering node runs (what {@code /v1/meta} shows); null when no node answers
 * @param targetVersion the version last asked for (image tag)
 * @param rolling       a version change is still rolling through the nodes
 * @param ready         {@code /v1/.well-known/ready} answers 200 (a Raft quorum of nodes is healthy)
 * @param synchronizedState what {@code /v1/cluster/statistics} reports as {@code synchronized}
 * @param dataCorrupted a restore ran on a version with the 1.23.13 restore bug, or the schema was lost
 */
public record WeaviateSnapshot(
        String id,
        String version,
        String targetVersion,
        List<Node> nodes,
        Map<String, Long> collections,
        boolean rolling,
        boolean ready,
        boolean synchronizedState,
        long raftIndex,
        boolean statefulSetPresent,
        boolean dataCorrupted,
        List<Map<String, Object>> backups,
        List<Map<String, Object>> restores) {

    /** One node: {@code status} is HEALTHY or UNAVAILABLE; {@code appliedIndex} is its Raft applied index. */
    public record Node(String name, String version, String status, boolean ready, long appliedIndex) {
        public boolean healthy() {
            return "HEALTHY".equals(status);
        }
    }

    public boolean allNodesOn(String v) {
        return nodes.stream().allMatch(n -> n.healthy() && n.version().equals(v));
    }

    public Node node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }
}
