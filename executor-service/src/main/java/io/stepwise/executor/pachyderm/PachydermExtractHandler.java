package io.stepwise.executor.pachyderm;

import io.stepwise.executor.handler.ProgressReporter;
import io.stepwise.executor.handler.StepFailedException;
import io.stepwise.executor.handler.StepHandler;
import io.stepwise.executor.handler.StepOutcome;
import io.stepwise.executor.handler.StepParams;
import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;

/**
 * EXTRACT: {@code pachctl extract [--no-objects]} into the dump a later RESTORE reads (the step's
 * backupId, else one per rollout). The vendor asks to stop pipelines and ingestion first for a
 * consistent point in time; the plan's approval gate is where a person does that.
 */
@ApplicationScoped
public class PachydermExtractHandler implements StepHandler {

    private final PachydermOps ops;
    private final PachydermDumps dumps;

    public PachydermExtractHandler(PachydermOps ops, PachydermDumps dumps) {
        this.ops = ops;
        this.dumps = dumps;
    }

    @Override
    public StepOutcome run(StepRequested step, ProgressReporter progress) {
        String id = dumps.dumpId(step);
        dumps.path(step, id); // no place for the dump: fail before asking the cluster anything
        String version = ops.serverVersion(step);
        if (!Pachctl.isOneX(version)) {
            throw new StepFailedException("pachctl extract exists on Pachyderm 1.x only; cluster " + step.clusterId()
                    + " runs " + version, version, null);
        }
        // Full (objects included) unless the plan says metadata only: the larger stream is the safer default.
        boolean noObjects = StepParams.bool(step, "noObjects").orElse(false);
        Path dump = dumps.extract(step, id, noObjects, progress);
        return StepOutcome.succeeded("extract " + id + (noObjects ? " (metadata only)" : " (with objects)") + " of "
                + version + " written to " + dump, version);
    }

    @Override
    public Product product() {
        return Product.PACHYDERM;
    }

    @Override
    public StepKind kind() {
        return StepKind.EXTRACT;
    }
}
