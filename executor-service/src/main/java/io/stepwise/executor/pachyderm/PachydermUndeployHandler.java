package io.stepwise.executor.pachyderm;

import io.stepwise.executor.artifact.Artifact;
import io.stepwise.executor.handler.ProgressReporter;
import io.stepwise.executor.handler.StepFailedException;
import io.stepwise.executor.handler.StepHandler;
import io.stepwise.executor.handler.StepOutcome;
import io.stepwise.executor.handler.StepParams;
import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * UNDEPLOY: {@code pachctl undeploy} ({@code --all}, deleting the volumes, only if asked); undeployed is success. It
 * refuses, changing nothing, unless the dump its migration's EXTRACT wrote is there and unchanged: after the undeploy,
 * that dump is the only way back.
 */
@ApplicationScoped
public class PachydermUndeployHandler implements StepHandler {

    private final PachydermOps ops;
    private final PachydermDumps dumps;

    public PachydermUndeployHandler(PachydermOps ops, PachydermDumps dumps) {
        this.ops = ops;
        this.dumps = dumps;
    }

    @Override
    public StepOutcome run(StepRequested step, ProgressReporter progress) {
        Artifact extract = dumps.verifiedExtractOf(step, "refusing to undeploy, nothing was changed");
        progress.report("extract " + extract.name() + " verified: " + extract.path() + " (" + extract.size()
                + " bytes, sha256 " + extract.sha256() + ")");
        Optional<String> version = ops.serverVersionIfDeployed(step);
        if (version.isEmpty()) {
            return StepOutcome.succeeded("cluster " + step.clusterId() + " is already undeployed (pachd does not answer)");
        }
        if (!Pachctl.isOneX(version.get())) {
            throw new StepFailedException("pachctl undeploy exists on Pachyderm 1.x only; cluster " + step.clusterId()
                    + " runs " + version.get() + " (helm-managed)", version.get(), null);
        }
        boolean all = StepParams.bool(step, "all").orElse(false);
        ops.undeploy(step, all, progress);
        return StepOutcome.succeeded("Pachyderm " + version.get() + " undeployed" + (all ? " with its volumes" : ""));
    }

    @Override
    public Product product() {
        return Product.PACHYDERM;
    }

    @Override
    public StepKind kind() {
        return StepKind.UNDEPLOY;
    }
}
