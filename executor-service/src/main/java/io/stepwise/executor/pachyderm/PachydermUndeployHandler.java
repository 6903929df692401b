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
import java.util.Optional;

/** UNDEPLOY: {@code pachctl undeploy} ({@code --all}, deleting the volumes, only if asked); undeployed is success. */
@ApplicationScoped
public class PachydermUndeployHandler implements StepHandler {

    private final PachydermOps ops;

    public PachydermUndeployHandler(PachydermOps ops) {
        this.ops = ops;
    }

    @Override
    public StepOutcome run(StepRequested step, ProgressReporter progress) {
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
