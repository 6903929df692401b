package io.stepwise.executor.pachyderm;

import io.stepwise.executor.handler.ClusterFacts;
import io.stepwise.executor.handler.ClusterReader;
import io.stepwise.model.Product;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** What a Pachyderm cluster runs: the server version {@code pachctl version} reports; it tells no node count. */
@ApplicationScoped
public class PachydermClusterReader implements ClusterReader {

    private final PachydermOps ops;

    public PachydermClusterReader(PachydermOps ops) {
        this.ops = ops;
    }

    @Override
    public Product product() {
        return Product.PACHYDERM;
    }

    @Override
    public ClusterFacts read(StepRequested step) {
        return new ClusterFacts(List.of(new ClusterFacts.Node("pachd", ops.serverVersion(step))), false);
    }
}
