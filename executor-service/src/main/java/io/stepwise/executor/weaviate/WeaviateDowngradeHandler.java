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
 * (after SCHEMA_DOWNGRADE) re-creates the StatefulSet, as the 1.25 migration does ({@link WeaviateRaftMigration}).
 */
@ApplicationScoped
public class WeaviateDowngradeHandler implements StepHandler {

    private final VersionChange change;
    private final WeaviateRaftMigration raftMigration;

    public WeaviateDowngradeHandler(VersionChange change, WeaviateRaftMigration raftMigration) {
        this.change = change;
        this.raftMigration = raftMigration;
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
                raftMigration.run(actuator, s, version, p);
            } else {
                actuator.setVersion(s, version, p);
            }
        });
    }
}
