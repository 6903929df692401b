package io.stepwise.executor.weaviate;

import io.stepwise.executor.handler.ProgressReporter;
import io.stepwise.executor.handler.StepFailedException;
import io.stepwise.executor.handler.StepHandler;
import io.stepwise.executor.handler.StepOutcome;
import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * SCHEMA_DOWNGRADE: {@code POST /v1/cluster/schema-v1} before a downgrade below 1.25. It exists on 1.25 … 1.34 only,
 * so the version is checked first, to fail with a reason rather than a bare 404.
 */
@ApplicationScoped
public class WeaviateSchemaDowngradeHandler implements StepHandler {

    private final WeaviateClient client;

    public WeaviateSchemaDowngradeHandler(WeaviateClient client) {
        this.client = client;
    }

    @Override
    public Product product() {
        return Product.WEAVIATE;
    }

    @Override
    public StepKind kind() {
        return StepKind.SCHEMA_DOWNGRADE;
    }

    @Override
    public StepOutcome run(StepRequested step, ProgressReporter progress) {
        String version = client.meta(step).version();
        WeaviateVersion v = WeaviateVersion.parse(version).orElseThrow(() -> new StepFailedException(
                "cluster " + step.clusterId() + " reports version '" + version + "', which is not a Weaviate version"));
        if (v.isBefore(1, 25) || !v.isBefore(1, 35)) {
            throw new StepFailedException("POST /v1/cluster/schema-v1 exists on Weaviate 1.25 to 1.34 only; cluster "
                    + step.clusterId() + " is at " + version + "; nothing was changed", version, null);
        }
        try {
            client.schemaV1(step);
        } catch (WeaviateApiException e) {
            throw new StepFailedException("POST /v1/cluster/schema-v1 on cluster " + step.clusterId() + " failed: "
                    + e.getMessage(), version, e);
        }
        progress.report("schema written back to the pre-1.25 store", version);
        return StepOutcome.succeeded("schema-v1 done on " + version + ": ready for a downgrade below 1.25", version);
    }
}
