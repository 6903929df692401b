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
import io.stepwise.executor.actuator.CommandEnvironment;
import io.stepwise.executor.actuator.CommandResult;
import io.stepwise.executor.actuator.CommandRunner;
import io.stepwise.executor.actuator.CommandTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * BACKUP: on 1.x a full {@code pachctl extract} into the step's dump (a rerun adopts a complete one); 2.x has no
 * extract, so the operator's {@code v2-backup-command} runs, and without one the step fails saying so.
 */
@ApplicationScoped
public class PachydermBackupHandler implements StepHandler {

    private final PachydermOps ops;
    private final PachydermDumps dumps;
    private final Pachctl pachctl;
    private final CommandRunner runner;
    private final CommandEnvironment environment;

    public PachydermBackupHandler(PachydermOps ops, PachydermDumps dumps, Pachctl pachctl, CommandRunner runner,
                                  CommandEnvironment environment) {
        this.ops = ops;
        this.dumps = dumps;
        this.pachctl = pachctl;
        this.runner = runner;
        this.environment = environment;
    }

    @Override
    public StepOutcome run(StepRequested step, ProgressReporter progress) {
        String id = StepParams.string(step, "backupId").orElse("backup-" + step.stepId())
                .toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_.-]", "-");
        String version = ops.serverVersion(step);
        if (Pachctl.isOneX(version)) {
            Path dump = dumps.extract(step, id, false, progress);
            return StepOutcome.succeeded("backup " + id + " of Pachyderm " + version + " written to " + dump
                    + " (" + PachydermDumps.size(dump) + " bytes)", version);
        }
        String template = pachctl.config().v2BackupCommand().orElseThrow(() -> new StepFailedException(
                "Pachyderm " + version + " has no pachctl extract; a 2.x backup is a pg_dump of the pachyderm and dex "
                        + "databases plus a bucket copy: set stepwise.executor.pachyderm.v2-backup-command; nothing was done",
                version, null));
        Map<String, String> values = new HashMap<>(CommandTemplate.values(step, version));
        Path file = dumps.path(step, id);
        values.put("file", file.toString());
        List<String> command = CommandTemplate.render(template, values);
        Map<String, String> env = environment.forStep(step);
        progress.report("running " + String.join(" ", command));
        CommandResult result = runner.run(CommandRunner.Invocation.of(command, pachctl.config().transferTimeout())
                .withEnv(env));
        if (!result.ok()) {
            throw new StepFailedException("the 2.x backup command failed on cluster " + step.clusterId() + ": "
                    + result.failureSummary(), version, null);
        }
        if (Files.isRegularFile(file)) {
            dumps.record(step, id, file);
        }
        return StepOutcome.succeeded("backup " + id + " of Pachyderm " + version + " done by the v2 backup command", version);
    }

    @Override
    public Product product() {
        return Product.PACHYDERM;
    }

    @Override
    public StepKind kind() {
        return StepKind.BACKUP;
    }
}
