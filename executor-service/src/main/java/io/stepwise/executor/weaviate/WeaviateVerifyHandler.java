package io.stepwise.executor.weaviate;

import io.stepwise.executor.config.ExecutorConfig;
import io.stepwise.executor.handler.ProgressReporter;
import io.stepwise.executor.handler.StepHandler;
import io.stepwise.executor.handler.StepOutcome;
import io.stepwise.executor.handler.StepParams;
import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;

/** VERIFY: every node HEALTHY at exactly toVersion in /v1/nodes, within verify-timeout (nodes settle after a hop). */
@ApplicationScoped
public class WeaviateVerifyHandler implements StepHandler {

    private final WeaviateNodes nodes;
    private final ExecutorConfig.Weaviate config;

    public WeaviateVerifyHandler(WeaviateNodes nodes, ExecutorConfig config) {
        this.nodes = nodes;
        this.config = config.weaviate();
    }

    @Override
    public Product product() {
        return Product.WEAVIATE;
    }

    @Override
    public StepKind kind() {
        return StepKind.VERIFY;
    }

    @Override
    public StepOutcome run(StepRequested step, ProgressReporter progress) {
        String version = StepParams.requiredVersion(step);
        // Without expectedNodes, whatever /v1/nodes lists, read inside the poll so a flapping API is retried.
        int expected = StepParams.integer(step, "expectedNodes").orElse(0);
        var seen = nodes.awaitAllAt(step, version, expected, config.verifyTimeout(), progress);
        return StepOutcome.succeeded("verified: all " + seen.nodes().size() + " nodes HEALTHY at " + version, version);
    }
}
