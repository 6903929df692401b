package io.stepwise.executor.pachyderm;

import io.stepwise.executor.handler.ProgressReporter;
import io.stepwise.executor.handler.StepControl;
import io.stepwise.executor.handler.StepHandler;
import io.stepwise.executor.handler.StepOutcome;
import io.stepwise.executor.handler.StepParams;
import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** UPGRADE: on 1.x undeploy keeping the volumes and deploy the target; on 2.x the helm upgrade; then pachd at it. */
@ApplicationScoped
public class PachydermUpgradeHandler implements StepHandler {

    private final PachydermOps ops;

    public PachydermUpgradeHandler(PachydermOps ops) {
        this.ops = ops;
    }

    @Override
    public StepOutcome run(StepRequested step, ProgressReporter progress) {
        String version = StepParams.requiredVersion(step);
        Optional<String> running = ops.serverVersionIfDeployed(step);
        if (running.filter(version::equals).isPresent()) {
            return StepOutcome.succeeded("pachd already answers at " + version, version);
        }
        if (running.isEmpty()) {
            // An earlier attempt undeployed and stopped before deploying: finish its job.
            progress.report("pachd is not deployed; deploying " + version);
            StepControl.uninterrupted("deploying Pachyderm " + version, () -> ops.deploy(step, version, progress));
        } else if (Pachctl.isOneX(running.get())) {
            // Undeployed and not yet deployed again, the cluster is down: a cancel waits until it is back.
            StepControl.uninterrupted("redeploying Pachyderm " + running.get() + " as " + version, () -> {
                ops.undeploy(step, false, progress);
                ops.deploy(step, version, progress);
            });
        } else {
            ops.helmUpgrade(step, version, progress);
        }
        return StepOutcome.succeeded("Pachyderm upgraded " + running.map(v -> "from " + v + " ").orElse("") + "to "
                + version, version);
    }

    @Override
    public Product product() {
        return Product.PACHYDERM;
    }

    @Override
    public StepKind kind() {
        return StepKind.UPGRADE;
    }
}
