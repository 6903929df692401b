package io.stepwise.executor.pachyderm;

import io.stepwise.executor.actuator.CommandResult;
import io.stepwise.executor.artifact.Artifact;
import io.stepwise.executor.artifact.Artifacts;
import io.stepwise.executor.config.ExecutorConfig;
import io.stepwise.executor.handler.ProgressReporter;
import io.stepwise.executor.handler.StepFailedException;
import io.stepwise.executor.handler.StepParams;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The extracts BACKUP and EXTRACT write and UNDEPLOY and RESTORE depend on: {artifacts.directory}/{clusterId}/{id}.dump,
 * moved into place only once pachctl exited 0, so one that exists is complete and a rerun adopts it. Each is recorded
 * in the ledger with its size and SHA-256 (per cluster and name, with the rollout step that wrote it), and checked
 * against that record before anything relies on it: a dump that is gone, or changed since it was written, stops the
 * migration before the cluster is touched.
 */
@ApplicationScoped
public class PachydermDumps {

    static final String DIRECTORY_SETTING = "stepwise.executor.artifacts.directory";

    private final Pachctl pachctl;
    private final Artifacts artifacts;
    private final Optional<String> directory;

    public PachydermDumps(Pachctl pachctl, Artifacts artifacts, ExecutorConfig config) {
        this.pachctl = pachctl;
        this.artifacts = artifacts;
        this.directory = config.artifacts().directory().filter(d -> !d.isBlank());
    }

    /** The step's backupId, else one for this rollout's migration extract. */
    public String dumpId(StepRequested step) {
        String raw = StepParams.string(step, "backupId").orElse("extract-" + step.rolloutId());
        return raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "-");
    }

    /** Where the dump {@code id} of the step's cluster goes; fails, naming the setting, when no directory is set. */
    public Path path(StepRequested step, String id) {
        String dir = directory.orElseThrow(() -> new StepFailedException("a Pachyderm dump must outlive this executor and"
                + " be readable by every executor that may run the steps after it, and " + DIRECTORY_SETTING
                + " is not set: set it to such a directory (a shared volume that survives restarts); nothing was done"));
        Path dump = Path.of(dir, step.clusterId(), id + ".dump");
        try {
            // a backup command writes there itself, into a folder that must exist
            Files.createDirectories(dump.getParent());
        } catch (IOException e) {
            throw new StepFailedException("cannot create " + dump.getParent() + " (" + DIRECTORY_SETTING + "): "
                    + e.getMessage(), e);
        }
        return dump;
    }

    /**
     * Extracts into the dump for {@code id} unless a complete one exists (it is adopted if it matches its record), and
     * records its size and checksum; returns its path.
     */
    public Path extract(StepRequested step, String id, boolean noObjects, ProgressReporter progress) {
        Path target = path(step, id);
        if (Files.isRegularFile(target)) {
            Optional<Artifact> recorded = artifacts.find(step.clusterId(), id);
            if (recorded.isPresent()) {
                verify(recorded.get(), "adopting it");
            } else {
                record(step, id, target);
            }
            progress.report("adopting the existing extract " + target + " (" + size(target) + " bytes)");
            return target;
        }
        Path partial = target.resolveSibling(id + ".dump.partial");
        try {
            Files.createDirectories(target.getParent());
        } catch (IOException e) {
            throw new StepFailedException("cannot create " + target.getParent() + " (" + DIRECTORY_SETTING + "): "
                    + e.getMessage(), e);
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
        Artifact written = record(step, id, target);
        progress.report("extract written: " + target + " (" + written.size() + " bytes, sha256 " + written.sha256() + ")");
        return target;
    }

    /** Records a file a step wrote as the dump {@code id} of its cluster, with its size and checksum. */
    public Artifact record(StepRequested step, String id, Path file) {
        Artifact.Content content = Artifact.Content.of(file);
        Artifact artifact = new Artifact(step.clusterId(), id, step.rolloutId(), step.stepId(), step.seq(),
                step.kind().name(), file, content.size(), content.sha256(), Instant.now());
        artifacts.record(artifact);
        return artifact;
    }

    /**
     * The dump the step's migration extracted, checked against its record: the step's {@code backupId} if it names
     * one, else the last EXTRACT of its rollout before it. Fails, saying what the step refuses to do, when there is
     * none, or it is gone or changed.
     */
    public Artifact verifiedExtractOf(StepRequested step, String refusal) {
        Optional<Artifact> recorded = StepParams.string(step, "backupId")
                .map(id -> artifacts.find(step.clusterId(), dumpId(step)))
                .orElseGet(() -> artifacts.lastOfRollout(step.clusterId(), step.rolloutId(), StepKind.EXTRACT.name(),
                        step.seq()));
        Artifact artifact = recorded.orElseThrow(() -> new StepFailedException("no extract of this migration (rollout "
                + step.rolloutId() + ") is recorded for cluster " + step.clusterId() + "; " + refusal));
        verify(artifact, refusal);
        return artifact;
    }

    /** The dump {@code id} of the step's cluster, checked against its record; fails, saying what the step refuses. */
    public Artifact verified(StepRequested step, String id, String refusal) {
        Artifact artifact = artifacts.find(step.clusterId(), id).orElseThrow(() -> new StepFailedException("no dump "
                + id + " is recorded for cluster " + step.clusterId() + " (expected at " + path(step, id) + "); "
                + refusal));
        verify(artifact, refusal);
        return artifact;
    }

    private static void verify(Artifact artifact, String refusal) {
        String what = "the dump " + artifact.name() + " of cluster " + artifact.clusterId() + " that " + artifact.kind()
                + " step " + artifact.stepId() + " wrote to " + artifact.path();
        if (!Files.isRegularFile(artifact.path())) {
            throw new StepFailedException(what + " is gone; " + refusal);
        }
        Artifact.Content now = Artifact.Content.of(artifact.path());
        if (!now.equals(artifact.content())) {
            throw new StepFailedException(what + " changed since it was written (recorded " + artifact.size()
                    + " bytes, sha256 " + artifact.sha256() + "; found " + now.size() + " bytes, sha256 " + now.sha256()
                    + "); " + refusal);
        }
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
