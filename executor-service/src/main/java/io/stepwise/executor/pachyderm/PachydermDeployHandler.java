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

/** DEPLOY: {@code pachctl deploy} with toVersion's client (the vendor's "update the client"), awaited at toVersion. */
@ApplicationScoped
public class PachydermDeployHandler implements StepHandler {

    private final PachydermOps ops;

    public PachydermDeployHandler(PachydermOps ops) {
        this.ops = ops;
    }

    @Override
    public StepOutcome run(StepRequested step, ProgressReporter progress) {
        String version = StepParams.requiredVersion(step);
        Optional<String> running = ops.serverVersionIfDeployed(step);
        if (running.filter(version::equals).isPresent()) {
            return StepOutcome.succeeded("pachd already answers at " + version, version);
        }
        if (running.isPresent()) {
            throw new StepFailedException("cluster " + step.clusterId() + " still runs pachd " + running.get()
                    + "; DEPLOY of " + version + " needs it undeployed first", running.get(), null);
        }
        ops.deploy(step, version, progress);
        return StepOutcome.succeeded("Pachyderm " + version + " deployed", version);
    }

    @Override
    public Product product() {
        return Product.PACHYDERM;
    }

    @Override
    public StepKind kind() {
        return StepKind.DEPLOY;
    }
}
