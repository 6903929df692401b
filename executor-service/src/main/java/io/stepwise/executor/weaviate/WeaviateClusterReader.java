package io.stepwise.executor.weaviate;

import io.stepwise.executor.handler.ClusterFacts;
import io.stepwise.executor.handler.ClusterReader;
import io.stepwise.executor.handler.StepFailedException;
import io.stepwise.executor.weaviate.WeaviateDtos.NodesStatusResponse;
import io.stepwise.model.Product;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;

/** What a Weaviate cluster runs: {@code GET /v1/nodes}, every node listed with its version. */
@ApplicationScoped
public class WeaviateClusterReader implements ClusterReader {

    private final WeaviateClient client;

    public WeaviateClusterReader(WeaviateClient client) {
        this.client = client;
    }

    @Override
    public Product product() {
        return Product.WEAVIATE;
    }

    @Override
    public ClusterFacts read(StepRequested step) {
        NodesStatusResponse nodes;
        try {
            nodes = client.nodes(step);
        } catch (StepFailedException e) {
            throw e;
        } catch (RuntimeException e) {
            String endpoint = step.cluster() == null ? null : step.cluster().endpoint();
            throw new StepFailedException("GET /v1/nodes on cluster " + step.clusterId() + " (" + endpoint + ") failed: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
        return new ClusterFacts(nodes.nodes().stream()
                .map(n -> new ClusterFacts.Node(n.name(), n.version() == null || n.version().isBlank() ? null : n.version()))
                .toList(), true);
    }
}
