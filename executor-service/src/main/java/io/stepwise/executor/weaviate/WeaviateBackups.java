package io.stepwise.executor.weaviate;

import io.stepwise.executor.config.ExecutorConfig;
import io.stepwise.executor.handler.Poll;
import io.stepwise.executor.handler.ProgressReporter;
import io.stepwise.executor.handler.StepFailedException;
import io.stepwise.executor.handler.StepParams;
import io.stepwise.executor.weaviate.WeaviateDtos.BackupStatus;
import io.stepwise.executor.weaviate.WeaviateDtos.BackupStatusResponse;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntSupplier;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/** What BACKUP and RESTORE share: which backend and id a step means, and waiting for a terminal status. */
@ApplicationScoped
public class WeaviateBackups {

    private final ExecutorConfig.Weaviate config;

    public WeaviateBackups(ExecutorConfig config) {
        this.config = config.weaviate();
    }

    /** The step's {@code backend}, else the cluster's {@code extra.backupBackend}, else the configured default. */
    public String backend(StepRequested step) {
        return StepParams.string(step, "backend")
                .or(() -> Optional.ofNullable(step.cluster() == null ? null : step.cluster().extra().get("backupBackend")))
                .filter(b -> !b.isBlank())
                .orElse(config.backupBackend());
    }

    /** Backends that keep a backup outside the cluster, so that it outlives the cluster. */
    static final Set<String> DURABLE_BACKENDS = Set.of("s3", "gcs", "azure");
    static final String FILESYSTEM = "filesystem";
    static final String ALLOW_FILESYSTEM = "stepwise.executor.weaviate.allow-filesystem-backup";

    /**
     * Refuses, before any backup request is sent, a backend whose backups would not outlive the cluster: a backup
     * counts only in s3, gcs or azure. {@code filesystem} lives on the cluster's own disks and Weaviate does not
     * support it for more than one node; it is allowed for a single node only when
     * {@code stepwise.executor.weaviate.allow-filesystem-backup=true}. {@code nodeCount} is asked only then.
     */
    public void requireDurable(StepRequested step, String backend, String what, IntSupplier nodeCount) {
        if (DURABLE_BACKENDS.contains(backend)) {
            return;
        }
        if (!FILESYSTEM.equals(backend)) {
            throw new StepFailedException(what + " refused: backend '" + backend + "' is none of " + new TreeSet<>(
                    DURABLE_BACKENDS) + " (or " + FILESYSTEM + "); nothing was sent to the cluster");
        }
        if (!config.allowFilesystemBackup()) {
            throw new StepFailedException(what + " refused: the " + FILESYSTEM + " backend keeps backups on the cluster's"
                    + " own disks, so they do not outlive it; use s3, gcs or azure, or set " + ALLOW_FILESYSTEM
                    + "=true to allow it for a single-node cluster; nothing was sent to the cluster");
        }
        int nodes = StepParams.integer(step, "expectedNodes")
                .or(() -> Optional.ofNullable(step.preflight()).map(StepRequested.Preflight::nodes))
                .orElseGet(nodeCount::getAsInt);
        if (nodes != 1) {
            throw new StepFailedException(what + " refused: the " + FILESYSTEM + " backend does not support a cluster of "
                    + nodes + " nodes (Weaviate's backup documentation), whatever " + ALLOW_FILESYSTEM
                    + " says; use s3, gcs or azure; nothing was sent to the cluster");
        }
    }

    /** The step's {@code backupId} in the alphabet Weaviate accepts, mapped alike for BACKUP and RESTORE. */
    public String backupId(StepRequested step) {
        String raw = StepParams.string(step, "backupId").orElse("stepwise-" + step.stepId());
        return raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
    }

    /** Polls until the status is terminal (SUCCESS, FAILED, CANCELED), reporting each change. */
    public BackupStatusResponse awaitTerminal(String what, Callable<Optional<BackupStatusResponse>> probe,
            Duration timeout, ProgressReporter progress) {
        AtomicReference<BackupStatus> last = new AtomicReference<>();
        return Poll.<Optional<BackupStatusResponse>>waitingFor(what + " to reach SUCCESS, FAILED or CANCELED")
                .every(config.backupPollInterval())
                .atMost(timeout)
                .describedBy(s -> s.map(r -> "status " + r.status() + (blank(r.error()) ? "" : " (" + r.error() + ")"))
                        .orElse("not found (404)"))
                .onEach(s -> s.ifPresent(r -> {
                    if (last.getAndSet(r.status()) != r.status()) {
                        progress.report(what + ": " + r.status());
                    }
                }))
                .until(probe, s -> s.isPresent() && s.get().status().isTerminal())
                .orElseThrow();
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
