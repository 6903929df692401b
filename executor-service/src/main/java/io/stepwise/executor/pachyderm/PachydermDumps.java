package io.stepwise.executor.pachyderm;

import io.stepwise.executor.actuator.CommandResult;
import io.stepwise.executor.handler.ProgressReporter;
import io.stepwise.executor.handler.StepFailedException;
import io.stepwise.executor.handler.StepParams;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The extracts BACKUP and EXTRACT write and RESTORE reads, {data-dir}/{clusterId}/{id}.dump: moved into place only
 * once pachctl exited 0, so one that exists is complete and a rerun adopts it.
 */
@ApplicationScoped
public class PachydermDumps {

    private final Pachctl pachctl;

    public PachydermDumps(Pachctl pachctl) {
        this.pachctl = pachctl;
    }

    /** The step's backupId, else one for this rollout's migration extract. */
    public String dumpId(StepRequested step) {
        String raw = StepParams.string(step, "backupId").orElse("extract-" + step.rolloutId());
        return raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "-");
    }

    public Path path(StepRequested step, String id) {
        return Path.of(pachctl.config().dataDir(), step.clusterId(), id + ".dump");
    }

    /** Extracts into the dump for {@code id} unless a complete one exists; returns its path. */
    public Path extract(StepRequested step, String id, boolean noObjects, ProgressReporter progress) {
        Path target = path(step, id);
        if (Files.isRegularFile(target)) {
            progress.report("adopting the existing extract " + target + " (" + size(target) + " bytes)");
            return target;
        }
        Path partial = target.resolveSibling(id + ".dump.partial");
        try {
            Files.createDirectories(target.getParent());
        } catch (IOException e) {
            throw new StepFailedException("cannot create " + target.getParent() + ": " + e.getMessage(), e);
        }
        List<String> args = new ArrayList<>(List.of("extract"));
        if (noObjects) {
            args.add("--no-objects");
        }
        progress.report("pachctl " + String.join(" ", args) + " > " + target);
        CommandResult result = pachctl.attempt(step, Pachctl.Client.CURRENT, args, pachctl.config().transferTimeout(),
                inv -> inv.withStdout(partial));
        if (!result.ok()) {
            deleteQuietly(partial);
            throw new StepFailedException("pachctl extract failed on cluster " + step.clusterId() + ": " + result.failureSummary());
        }
        if (size(partial) == 0) {
            deleteQuietly(partial);
            throw new StepFailedException("pachctl extract on cluster " + step.clusterId() + " exited 0 but wrote nothing");
        }
        try {
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new StepFailedException("cannot move " + partial + " to " + target + ": " + e.getMessage(), e);
        }
        progress.report("extract written: " + target + " (" + size(target) + " bytes)");
        return target;
    }

    public Optional<Path> existing(StepRequested step, String id) {
        Path p = path(step, id);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // leftovers of a failed extract are overwritten by the next one
        }
    }
}
