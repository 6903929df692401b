package io.stepwise.executor.weaviate;

import io.stepwise.executor.handler.ProgressReporter;
import io.stepwise.executor.handler.StepHandler;
import io.stepwise.executor.handler.StepOutcome;
import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * RAFT_MIGRATION: the hop from 1.24 or lower into 1.25 ({@link WeaviateRaftMigration}). It ends when every node
 * is HEALTHY at the version; the plan's SYNC_CHECK then confirms Raft formed.
 */
@ApplicationScoped
public class WeaviateRaftMigrationHandler implements StepHandler {

    private final VersionChange change;
    private final WeaviateRaftMigration raftMigration;

    public WeaviateRaftMigrationHandler(VersionChange change, WeaviateRaftMigration raftMigration) {
        this.change = change;
        this.raftMigration = raftMigration;
    }

    @Override
    public Product product() {
        return Product.WEAVIATE;
    }

    @Override
    public StepKind kind() {
        return StepKind.RAFT_MIGRATION;
    }

    @Override
    public StepOutcome run(StepRequested step, ProgressReporter progress) {
        return change.run(step, progress, VersionChange.Direction.UP, "Raft migration", true, raftMigration::run);
    }
}
