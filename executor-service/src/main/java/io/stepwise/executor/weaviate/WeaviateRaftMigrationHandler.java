package io.stepwise.executor.weaviate;

import io.stepwise.executor.handler.ProgressReporter;
import io.stepwise.executor.handler.StepHandler;
import io.stepwise.executor.handler.StepOutcome;
import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * RAFT_MIGRATION: the hop from 1.24 or lower into 1.25. On Kubernetes the actuator deletes the
 * StatefulSet keeping volumes and re-creates it with the 1.25 image (the vendor's manual procedure);
 * on Docker Weaviate migrates by itself, so the version changes as in any hop. Either way it ends when
 * every node is HEALTHY at the version; the plan's SYNC_CHECK then confirms Raft formed.
 */
@ApplicationScoped
public class WeaviateRaftMigrationHandler implements StepHandler {

    private final VersionChange change;

    public WeaviateRaftMigrationHandler(VersionChange change) {
        this.change = change;
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
        return change.run(step, progress, VersionChange.Direction.UP, "Raft migration", true,
                (actuator, s, version, p) -> actuator.raftMigration(s, version, p));
    }
}
