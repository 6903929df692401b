package io.stepwise.executor.weaviate;

import io.stepwise.executor.handler.ProgressReporter;
import io.stepwise.executor.handler.StepHandler;
import io.stepwise.executor.handler.StepOutcome;
import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;

/** UPGRADE: the cluster's actuator sets toVersion, then every node must be HEALTHY at exactly that version. */
@ApplicationScoped
public class WeaviateUpgradeHandler implements StepHandler {

    private final VersionChange change;

    public WeaviateUpgradeHandler(VersionChange change) {
        this.change = change;
    }

    @Override
    public Product product() {
        return Product.WEAVIATE;
    }

    @Override
    public StepKind kind() {
        return StepKind.UPGRADE;
    }

    @Override
    public StepOutcome run(StepRequested step, ProgressReporter progress) {
        return change.run(step, progress, VersionChange.Direction.UP, "upgrade",
                (actuator, s, version, p) -> actuator.setVersion(s, version, p));
    }
}
