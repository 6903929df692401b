package io.stepwise.executor.weaviate;

import io.stepwise.executor.config.ExecutorConfig;
import io.stepwise.executor.handler.ProgressReporter;
import io.stepwise.executor.handler.StepHandler;
import io.stepwise.executor.handler.StepOutcome;
import io.stepwise.executor.handler.StepParams;
import io.stepwise.executor.health.ContentsCheck;
import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * VERIFY: every node HEALTHY at exactly toVersion in /v1/nodes, within verify-timeout (nodes settle after a hop); then
 * no collection holds fewer objects than before the rollout changed the cluster; then the sample query answers.
 */
@ApplicationScoped
public class WeaviateVerifyHandler implements StepHandler {

    private final WeaviateNodes nodes;
    private final WeaviateContents contents;
    private final ContentsCheck contentsCheck;
    private final WeaviateSampleQuery sampleQuery;
    private final ExecutorConfig.Weaviate config;

    public WeaviateVerifyHandler(WeaviateNodes nodes, WeaviateContents contents, ContentsCheck contentsCheck,
                                 WeaviateSampleQuery sampleQuery, ExecutorConfig config) {
        this.nodes = nodes;
        this.contents = contents;
        this.contentsCheck = contentsCheck;
        this.sampleQuery = sampleQuery;
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
        String message = "verified: all " + seen.nodes().size() + " nodes HEALTHY at " + version;
        progress.report(message + "; counting objects", version);
        message += "; " + contentsCheck.verify(step, contents.read(step));
        String sample = sampleQuery.run(step).orElse("no sample query configured");
        return StepOutcome.succeeded(message + "; " + sample, version);
    }
}
