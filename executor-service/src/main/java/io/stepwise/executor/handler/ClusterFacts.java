package io.stepwise.executor.handler;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What a cluster runs, as read without changing anything: each node's name and version (a node that did not say has
 * a null version), and whether the node count is known (Pachyderm shows one server version and no count).
 */
public record ClusterFacts(List<Node> nodes, boolean nodeCountKnown) {

    public record Node(String name, String version) {
    }

    public ClusterFacts {
        nodes = List.copyOf(nodes);
    }

    /** The node count, or null when the product does not tell. */
    public Integer nodeCount() {
        return nodeCountKnown ? nodes.size() : null;
    }

    public List<String> versions() {
        return nodes.stream().map(n -> n.version() == null ? "unknown" : n.version()).toList();
    }

    /** The version every node runs, or null when they differ, one did not say, or there are none. */
    public String commonVersion() {
        List<String> distinct = nodes.stream().map(Node::version).distinct().toList();
        return distinct.size() == 1 ? distinct.get(0) : null;
    }

    /** "3 nodes: weaviate-0 1.23.5, weaviate-1 1.23.5, weaviate-2 1.23.5", or "pachd 1.9.5" without a count. */
    public String describe() {
        String each = nodes.stream().map(n -> n.name() + " " + Objects.requireNonNullElse(n.version(), "(no version)"))
                .collect(Collectors.joining(", "));
        if (!nodeCountKnown) {
            return each.isEmpty() ? "nothing" : each;
        }
        return nodes.size() + (nodes.size() == 1 ? " node" : " nodes") + (each.isEmpty() ? "" : ": " + each);
    }
}
