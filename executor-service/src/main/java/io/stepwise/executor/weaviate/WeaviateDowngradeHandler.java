package io.stepwise.executor.weaviate;

import io.stepwise.executor.handler.ProgressReporter;
import io.stepwise.executor.handler.StepHandler;
import io.stepwise.executor.handler.StepOutcome;
import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * DOWNGRADE: the cluster's actuator sets toVersion, then every node must be HEALTHY at exactly that
 * version. Going from 1.25+ to below 1.25 crosses the Raft line backwards: the vendor's procedure
 * (after SCHEMA_DOWNGRADE) deletes the StatefulSet and re-applies it, as the 1.25 migration does.
 */
@ApplicationScoped
public class WeaviateDowngradeHandler implements StepHandler {

    private final VersionChange change;

    public WeaviateDowngradeHandler(VersionChange change) {
        this.change = change;
    }

    @Override
    public Product product() {
        return Product.WEAVIATE;
    }

    @Override
    public StepKind kind() {
        return StepKind.DOWNGRADE;
    }

    @Override
    public StepOutcome run(StepRequested step, ProgressReporter progress) {
        return change.run(step, progress, VersionChange.Direction.DOWN, "downgrade", (actuator, s, version, p) -> {
            if (change.crossesRaftLineDownwards(s, version)) {
                actuator.raftMigration(s, version, p);
            } else {
                actuator.setVersion(s, version, p);
            }
        });
    }
}
