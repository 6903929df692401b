package io.stepwise.executor.pachyderm;

import io.stepwise.executor.actuator.CommandEnvironment;
import io.stepwise.executor.actuator.CommandResult;
import io.stepwise.executor.actuator.CommandRunner;
import io.stepwise.executor.actuator.CommandTemplate;
import io.stepwise.executor.config.ExecutorConfig;
import io.stepwise.executor.handler.Poll;
import io.stepwise.executor.handler.ProgressReporter;
import io.stepwise.executor.handler.StepFailedException;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** The Pachyderm moves several handlers make: read the version, undeploy, deploy, helm upgrade, wait for pachd. */
@ApplicationScoped
public class PachydermOps {

    private final Pachctl pachctl;
    private final CommandRunner runner;
    private final CommandEnvironment environment;
    private final PachydermDeployArgs deployArgs;
    private final ExecutorConfig.Pachyderm config;

    public PachydermOps(Pachctl pachctl, CommandRunner runner, CommandEnvironment environment,
                        PachydermDeployArgs deployArgs, ExecutorConfig config) {
        this.pachctl = pachctl;
        this.runner = runner;
        this.environment = environment;
        this.deployArgs = deployArgs;
        this.config = config.pachyderm();
    }

    /** The version pachd runs now; fails when pachd does not answer (undeployed or down). */
    public String serverVersion(StepRequested step) {
        Pachctl.Versions v = pachctl.version(step, Pachctl.Client.CURRENT);
        return v.pachd().orElseThrow(() -> new StepFailedException("pachd of cluster " + step.clusterId()
                + " does not answer (undeployed or down): " + v.describe()));
    }

    public Optional<String> serverVersionIfDeployed(StepRequested step) {
        return pachctl.version(step, Pachctl.Client.CURRENT).pachd();
    }

    /** {@code pachctl undeploy} (answering its confirmation), then waits until pachd is gone. */
    public void undeploy(StepRequested step, boolean all, ProgressReporter progress) {
        List<String> args = new ArrayList<>(List.of("undeploy"));
        if (all) {
            args.add("--all");
        }
        progress.report("pachctl " + String.join(" ", args));
        pachctl.run(step, Pachctl.Client.CURRENT, args, config.commandTimeout(), inv -> inv.withStdinText("y\n"));
        Poll.<Pachctl.Versions>waitingFor("pachd of cluster " + step.clusterId() + " to stop answering")
                .every(config.pollInterval())
                .atMost(config.versionTimeout())
                .describedBy(Pachctl.Versions::describe)
                .until(() -> pachctl.version(step, Pachctl.Client.CURRENT), v -> v.pachd().isEmpty());
    }

    /** {@code pachctl deploy <the cluster's deploy arguments>} with the client of {@code version}, then waits for pachd at it. */
    public void deploy(StepRequested step, String version, ProgressReporter progress) {
        List<String> args = new ArrayList<>(List.of("deploy"));
        args.addAll(deployArgs.args(step, version));
        progress.report("pachctl " + String.join(" ", args) + " (client " + version + ")");
        pachctl.run(step, Pachctl.Client.forVersion(version), args, config.commandTimeout(), UnaryOperator.identity());
        awaitServer(step, version, progress);
    }

    /** 2.x: the configured helm upgrade, then waits for pachd at the version. */
    public void helmUpgrade(StepRequested step, String version, ProgressReporter progress) {
        List<String> command = CommandTemplate.render(config.helmUpgrade(), CommandTemplate.values(step, version));
        Map<String, String> env = environment.forStep(step);
        progress.report("running " + String.join(" ", command));
        CommandResult result = runner.run(CommandRunner.Invocation.of(command, config.commandTimeout()).withEnv(env));
        if (!result.ok()) {
            throw new StepFailedException("helm upgrade of Pachyderm cluster " + step.clusterId() + " failed: "
                    + result.failureSummary());
        }
        awaitServer(step, version, progress);
    }

    public Pachctl.Versions awaitServer(StepRequested step, String version, ProgressReporter progress) {
        Pachctl.Client client = Pachctl.Client.forVersion(version);
        Pachctl.Versions seen = Poll.<Pachctl.Versions>waitingFor("pachd of cluster " + step.clusterId() + " to answer at "
                        + version)
                .every(config.pollInterval())
                .atMost(config.versionTimeout())
                .describedBy(Pachctl.Versions::describe)
                .until(() -> pachctl.version(step, client), v -> v.pachd().filter(version::equals).isPresent());
        progress.report("pachd answers at " + version, version);
        return seen;
    }
}
