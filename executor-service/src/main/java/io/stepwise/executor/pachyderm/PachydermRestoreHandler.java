package io.stepwise.executor.pachyderm;

import io.stepwise.executor.handler.ProgressReporter;
import io.stepwise.executor.handler.StepFailedException;
import io.stepwise.executor.handler.StepHandler;
import io.stepwise.executor.handler.StepOutcome;
import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * RESTORE: {@code pachctl restore} from the step's dump, into an empty cluster as the vendor requires, once the dump is
 * checked against the size and checksum recorded when it was written. A marker beside the dump names the step that
 * restored it, so a rerun adopts the restore rather than refuse the cluster it filled.
 */
@ApplicationScoped
public class PachydermRestoreHandler implements StepHandler {

    private final PachydermOps ops;
    private final PachydermDumps dumps;
    private final Pachctl pachctl;

    public PachydermRestoreHandler(PachydermOps ops, PachydermDumps dumps, Pachctl pachctl) {
        this.ops = ops;
        this.dumps = dumps;
        this.pachctl = pachctl;
    }

    @Override
    public StepOutcome run(StepRequested step, ProgressReporter progress) {
        String id = dumps.dumpId(step);
        Path dump = dumps.verified(step, id, "refusing to restore, nothing was changed").path();
        String version = ops.serverVersion(step);
        Path marker = dump.resolveSibling(dump.getFileName() + ".restored");
        if (Files.isRegularFile(marker) && step.stepId().equals(read(marker))) {
            return StepOutcome.succeeded("extract " + id + " was already restored by this step", version);
        }
        List<String> repos = pachctl.repos(step);
        if (!repos.isEmpty()) {
            throw new StepFailedException("cluster " + step.clusterId() + " holds repos " + repos + "; pachctl restore "
                    + "needs a freshly deployed, empty cluster; nothing was restored", version, null);
        }
        progress.report("pachctl restore < " + dump);
        pachctl.run(step, Pachctl.Client.CURRENT, List.of("restore"), pachctl.config().transferTimeout(),
                inv -> inv.withStdin(dump));
        try {
            Files.writeString(marker, step.stepId());
        } catch (IOException e) {
            // Only a rerun of this step would notice; the restore itself is done.
        }
        List<String> after = pachctl.repos(step);
        progress.report("restored " + after.size() + " repos", version);
        return StepOutcome.succeeded("restored extract " + id + " into Pachyderm " + version + ": " + after.size()
                + " repos " + after, version);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public Product product() {
        return Product.PACHYDERM;
    }

    @Override
    public StepKind kind() {
        return StepKind.RESTORE;
    }
}
