package io.stepwise.executor.weaviate;

import io.stepwise.executor.config.ExecutorConfig;
import io.stepwise.executor.handler.ProgressReporter;
import io.stepwise.executor.handler.StepFailedException;
import io.stepwise.executor.handler.StepHandler;
import io.stepwise.executor.handler.StepOutcome;
import io.stepwise.executor.weaviate.WeaviateDtos.BackupStatus;
import io.stepwise.executor.weaviate.WeaviateDtos.BackupStatusResponse;
import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * BACKUP: a full backup under the step's backup id, awaited to SUCCESS. A backup with that id already there (an
 * earlier attempt) makes Weaviate refuse the create and is adopted; creating first saves a call on all but retries.
 */
@ApplicationScoped
public class WeaviateBackupHandler implements StepHandler {

    private final WeaviateClient client;
    private final WeaviateBackups backups;
    private final ExecutorConfig.Weaviate config;

    public WeaviateBackupHandler(WeaviateClient client, WeaviateBackups backups, ExecutorConfig config) {
        this.client = client;
        this.backups = backups;
        this.config = config.weaviate();
    }

    @Override
    public Product product() {
        return Product.WEAVIATE;
    }

    @Override
    public StepKind kind() {
        return StepKind.BACKUP;
    }

    @Override
    public StepOutcome run(StepRequested step, ProgressReporter progress) {
        String backend = backups.backend(step);
        String id = backups.backupId(step);
        String what = "backup " + id + " on backend " + backend;
        backups.requireDurable(step, backend, what, () -> client.nodes(step).nodes().size());

        try {
            client.createBackup(step, backend, id);
            progress.report(what + ": started");
        } catch (WeaviateApiException e) {
            // The id is taken (422, or 409 from some versions): an earlier attempt of this step created it, adopt it.
            Optional<BackupStatusResponse> existing = e.status() == 422 || e.status() == 409
                    ? client.backupStatus(step, backend, id) : Optional.empty();
            if (existing.isEmpty()) {
                throw new StepFailedException((e.isTransient() ? "could not create " : "Weaviate refused to create ")
                        + what + ": " + e.getMessage(), e);
            }
            BackupStatus status = existing.get().status();
            if (status == BackupStatus.FAILED || status == BackupStatus.CANCELED) {
                throw new StepFailedException(what + " already exists and ended " + status + errorOf(existing.get())
                        + "; Weaviate does not reuse a backup id, so this step needs a new backupId");
            }
            progress.report("adopting existing " + what + " (" + status + ")");
        }

        BackupStatusResponse done = backups.awaitTerminal(what, () -> client.backupStatus(step, backend, id),
                config.backupTimeout(), progress);
        if (done.status() != BackupStatus.SUCCESS) {
            throw new StepFailedException(what + " ended " + done.status() + errorOf(done));
        }
        return StepOutcome.succeeded(what + " is SUCCESS" + (WeaviateBackups.blank(done.path()) ? "" : " at " + done.path()));
    }

    static String errorOf(BackupStatusResponse status) {
        return WeaviateBackups.blank(status.error()) ? "" : ": " + status.error();
    }
}
