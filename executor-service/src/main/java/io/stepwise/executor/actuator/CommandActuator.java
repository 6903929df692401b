package io.stepwise.executor.actuator;

import io.quarkus.logging.Log;
import io.stepwise.executor.config.ExecutorConfig;
import io.stepwise.executor.handler.ProgressReporter;
import io.stepwise.executor.handler.StepFailedException;
import io.stepwise.model.DeploymentKind;
import io.stepwise.model.StepRequested;
import java.time.Duration;
import java.util.List;

/**
 * Changes versions by running operator-supplied command templates: helm for {@code deployment = command}
 * (e.g. {@code helm upgrade {release} <chart> --reuse-values --set image.tag={version}}), a compose or script
 * command for {@code docker}. The command must only return once the change is applied (helm {@code --wait}); the
 * handler then checks the product's own API anyway.
 */
public class CommandActuator implements Actuator {

    private final DeploymentKind kind;
    private final ExecutorConfig.Commands templates;
    private final CommandRunner runner;
    private final CommandEnvironment environment;
    private final Duration timeout;

    public CommandActuator(DeploymentKind kind, ExecutorConfig.Commands templates, CommandRunner runner,
                           CommandEnvironment environment, Duration timeout) {
        this.kind = kind;
        this.templates = templates;
        this.runner = runner;
        this.environment = environment;
        this.timeout = timeout;
    }

    @Override
    public DeploymentKind deployment() {
        return kind;
    }

    @Override
    public void setVersion(StepRequested step, String version, ProgressReporter progress) {
        String template = templates.setVersion().orElseThrow(() -> new StepFailedException("no command template "
                + "stepwise.executor.actuator." + kind.id() + ".set-version is configured; cannot change the version of "
                + kind.id() + " cluster " + step.clusterId()));
        run(step, "set-version", template, version, progress);
    }

    /** The templates of this deployment kind ({@code stepwise.executor.actuator.<kind>.*}). */
    public ExecutorConfig.Commands templates() {
        return templates;
    }

    /** Runs {@code template} for the step; {@code purpose} names it in progress and failure messages. */
    public void run(StepRequested step, String purpose, String template, String version, ProgressReporter progress) {
        List<String> command = CommandTemplate.render(template, CommandTemplate.values(step, version));
        var env = environment.forStep(step);
        progress.report("running " + purpose + ": " + String.join(" ", command));
        CommandResult result = runner.run(CommandRunner.Invocation.of(command, timeout).withEnv(env));
        if (!result.ok()) {
            throw new StepFailedException(purpose + " command failed on cluster " + step.clusterId() + ": "
                    + result.failureSummary());
        }
        Log.infof("cluster %s: %s done in %s", step.clusterId(), purpose, result.took());
    }
}
