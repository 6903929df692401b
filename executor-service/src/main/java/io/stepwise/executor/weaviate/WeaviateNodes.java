package io.stepwise.executor.weaviate;

import io.stepwise.executor.config.ExecutorConfig;
import io.stepwise.executor.handler.Poll;
import io.stepwise.executor.handler.ProgressReporter;
import io.stepwise.executor.weaviate.WeaviateDtos.NodeStatus;
import io.stepwise.executor.weaviate.WeaviateDtos.NodesStatusResponse;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Reads {@code /v1/nodes} and waits until every node is HEALTHY at a version: the vendor's check after
 * a rolling upgrade (weaviate-local-k8s {@code wait_for_all_healthy_nodes}).
 */
@ApplicationScoped
public class WeaviateNodes {

    private final WeaviateClient client;
    private final ExecutorConfig.Weaviate config;

    public WeaviateNodes(WeaviateClient client, ExecutorConfig config) {
        this.client = client;
        this.config = config.weaviate();
    }

    public NodesStatusResponse awaitAllAt(StepRequested step, String version, int expectedNodes, Duration timeout,
            ProgressReporter progress) {
        return awaitAllAt(step, version, expectedNodes, timeout, config.nodesPollInterval(), progress);
    }

    public NodesStatusResponse awaitAllAt(StepRequested step, String version, int expectedNodes, Duration timeout,
            Duration interval, ProgressReporter progress) {
        AtomicReference<String> lastReport = new AtomicReference<>();
        String count = expectedNodes > 0 ? expectedNodes + " of " + expectedNodes : "all listed";
        return Poll.<NodesStatusResponse>waitingFor(count + " nodes HEALTHY at " + version + " on cluster " + step.clusterId())
                .every(interval)
                .atMost(timeout)
                .describedBy(nodes -> describe(nodes, version))
                .onEach(nodes -> {
                    String line = countAt(nodes, version) + " of " + (expectedNodes > 0 ? expectedNodes : nodes.nodes().size())
                            + " nodes HEALTHY at " + version;
                    if (!line.equals(lastReport.getAndSet(line))) {
                        progress.report(line, commonVersion(nodes));
                    }
                })
                .until(() -> client.nodes(step), nodes -> allAt(nodes, version, expectedNodes));
    }

    /** {@code expectedNodes} <= 0 means "as many as /v1/nodes lists, at least one". */
    static boolean allAt(NodesStatusResponse nodes, String version, int expectedNodes) {
        int expected = expectedNodes > 0 ? expectedNodes : Math.max(1, nodes.nodes().size());
        return nodes.nodes().size() == expected && nodes.nodes().stream().allMatch(n -> n.healthyAt(version));
    }

    static long countAt(NodesStatusResponse nodes, String version) {
        return nodes.nodes().stream().filter(n -> n.healthyAt(version)).count();
    }

    /** The version every node reports, or null when they differ (mid-rollout). */
    static String commonVersion(NodesStatusResponse nodes) {
        List<String> versions = nodes.nodes().stream().map(NodeStatus::version).distinct().toList();
        return versions.size() == 1 ? versions.get(0) : null;
    }

    static String describe(NodesStatusResponse nodes, String version) {
        if (nodes.nodes().isEmpty()) {
            return "/v1/nodes listed no nodes";
        }
        return countAt(nodes, version) + " of " + nodes.nodes().size() + " listed nodes HEALTHY at " + version + " ["
                + nodes.nodes().stream().map(NodeStatus::describe).collect(Collectors.joining(", ")) + "]";
    }
}
