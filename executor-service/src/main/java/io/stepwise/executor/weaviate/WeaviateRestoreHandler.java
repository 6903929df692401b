package io.stepwise.executor.weaviate;

import io.stepwise.executor.config.ExecutorConfig;
import io.stepwise.executor.handler.ProgressReporter;
import io.stepwise.executor.handler.StepControl;
import io.stepwise.executor.handler.StepFailedException;
import io.stepwise.executor.handler.StepHandler;
import io.stepwise.executor.handler.StepOutcome;
import io.stepwise.executor.weaviate.WeaviateDtos.BackupListEntry;
import io.stepwise.executor.weaviate.WeaviateDtos.BackupStatus;
import io.stepwise.executor.weaviate.WeaviateDtos.BackupStatusResponse;
import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * RESTORE of a named earlier backup (the W4 "restore fix"). Weaviate's restore fails while a collection it holds
 * exists, so those are deleted first, the executor's one destructive act, in this order of safety: only from a
 * SUCCESS backup; a restore already running or done is adopted, never deleted under; only the collections the
 * backup holds (every existing one where the cluster cannot list them, as BACKUP takes full backups).
 * executor-service/README.md, "Restore", says more.
 */
@ApplicationScoped
public class WeaviateRestoreHandler implements StepHandler {

    private final WeaviateClient client;
    private final WeaviateBackups backups;
    private final ExecutorConfig.Weaviate config;

    public WeaviateRestoreHandler(WeaviateClient client, WeaviateBackups backups, ExecutorConfig config) {
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
        return StepKind.RESTORE;
    }

    @Override
    public StepOutcome run(StepRequested step, ProgressReporter progress) {
        String backend = backups.backend(step);
        String id = backups.backupId(step);
        String what = "restore of backup " + id + " from backend " + backend;
        backups.requireDurable(step, backend, what, () -> client.nodes(step).nodes().size());

        BackupStatusResponse backup = client.backupStatus(step, backend, id).orElseThrow(() -> new StepFailedException(
                "backup " + id + " does not exist on backend " + backend + "; refusing to restore, nothing was deleted"));
        if (backup.status() != BackupStatus.SUCCESS) {
            throw new StepFailedException("backup " + id + " is " + backup.status()
                    + WeaviateBackupHandler.errorOf(backup) + ", not SUCCESS; refusing to restore, nothing was deleted");
        }

        Optional<BackupStatusResponse> earlier = client.restoreStatus(step, backend, id);
        String deletedNote = "";
        if (earlier.isPresent() && earlier.get().status() != BackupStatus.FAILED
                && earlier.get().status() != BackupStatus.CANCELED) {
            progress.report("adopting the " + what + " already " + earlier.get().status());
        } else {
            // Collections deleted and the restore not yet asked for would be data lost: a cancel waits for the restore.
            deletedNote = StepControl.uninterrupted("deleting the collections backup " + id + " holds and restoring it",
                    () -> {
                        List<String> deleted = clearCollections(step, backend, id, progress);
                        String note = deleted.isEmpty() ? "" : " after deleting existing collections " + deleted;
                        try {
                            client.restore(step, backend, id);
                        } catch (WeaviateApiException e) {
                            throw new StepFailedException("Weaviate refused the " + what + note + ": " + e.getMessage(), e);
                        }
                        return note;
                    });
            progress.report(what + ": started" + deletedNote);
        }

        BackupStatusResponse done = backups.awaitTerminal(what, () -> client.restoreStatus(step, backend, id),
                config.restoreTimeout(), progress);
        if (done.status() != BackupStatus.SUCCESS) {
            throw new StepFailedException(what + " ended " + done.status() + WeaviateBackupHandler.errorOf(done) + deletedNote);
        }
        return StepOutcome.succeeded(what + " is SUCCESS" + deletedNote);
    }

    /** Deletes the existing collections the backup will bring back; returns their names. */
    private List<String> clearCollections(StepRequested step, String backend, String id, ProgressReporter progress) {
        List<String> existing = client.schema(step).names();
        Optional<List<String>> inBackup = client.listBackups(step, backend).flatMap(list -> list.stream()
                .filter(b -> id.equals(b.id())).findFirst().map(BackupListEntry::classes));
        List<String> conflicting = new ArrayList<>(existing);
        inBackup.ifPresent(conflicting::retainAll);
        if (conflicting.isEmpty()) {
            return List.of();
        }
        String source = inBackup.isPresent() ? "the backup holds" : "exist (this Weaviate cannot list a backup's collections; "
                + "the backup is a full one)";
        if (!config.restoreDeletesExistingCollections()) {
            throw new StepFailedException("collections " + conflicting + " " + source + " and already exist, so Weaviate's "
                    + "restore would fail; deleting them is turned off "
                    + "(stepwise.executor.weaviate.restore-deletes-existing-collections=false): delete them or restore elsewhere");
        }
        progress.report("deleting " + conflicting.size() + " collections that " + source + " before the restore: " + conflicting);
        for (String collection : conflicting) {
            try {
                client.deleteCollection(step, collection);
            } catch (WeaviateApiException e) {
                if (e.status() != 404) {
                    throw new StepFailedException("could not delete collection " + collection + " before restoring backup "
                            + id + ": " + e.getMessage(), e);
                }
            }
        }
        return conflicting;
    }
}
