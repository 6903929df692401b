package io.stepwise.simulator.weaviate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A backup or a restore in progress or done. Its status is computed from the clock: it walks
 * STARTED → TRANSFERRING → TRANSFERRED (→ FINALIZING) → SUCCESS over {@code duration}, or ends FAILED
 * halfway through when {@code error} is set.
 */
final class BackupOperation {

    final String id;
    final String backend;
    final String path;
    final List<String> classes;
    /** Object counts of the collections at backup time (what a restore brings back). */
    final Map<String, Long> objectCounts;
    /** Version of the server that took the backup. */
    final String serverVersion;
    final List<String> nodeNames;
    final Instant startedAt;
    final Duration duration;
    final String error;
    /** The step that started it, named when another operation overlaps it. */
    final String stepId;
    Instant canceledAt;
    /** Set once a finished restore has been applied to the cluster. */
    boolean applied;

    BackupOperation(String id, String backend, String path, List<String> classes, Map<String, Long> objectCounts,
                    String serverVersion, List<String> nodeNames, Instant startedAt, Duration duration, String error,
                    String stepId) {
        this.id = id;
        this.backend = backend;
        this.path = path;
        this.classes = List.copyOf(classes);
        this.objectCounts = Map.copyOf(objectCounts);
        this.serverVersion = serverVersion;
        this.nodeNames = List.copyOf(nodeNames);
        this.startedAt = startedAt;
        this.duration = duration;
        this.error = error;
        this.stepId = stepId;
    }

    BackupStatus status(Instant now) {
        if (canceledAt != null) {
            return BackupStatus.CANCELED;
        }
        if (!now.isBefore(completedAt())) {
            return error != null ? BackupStatus.FAILED : BackupStatus.SUCCESS;
        }
        long elapsed = Duration.between(startedAt, now).toNanos();
        long total = Math.max(1, duration.toNanos());
        int phase = (int) (elapsed * 4 / total);
        return switch (phase) {
            case 0 -> BackupStatus.STARTED;
            case 1 -> BackupStatus.TRANSFERRING;
            case 2 -> BackupStatus.TRANSFERRED;
            default -> BackupStatus.FINALIZING;
        };
    }

    /** When the operation reaches its terminal state (a failure comes halfway through). */
    Instant completedAt() {
        if (canceledAt != null) {
            return canceledAt;
        }
        return error != null ? startedAt.plus(duration.dividedBy(2)) : startedAt.plus(duration);
    }

    boolean succeeded(Instant now) {
        return status(now) == BackupStatus.SUCCESS;
    }
}
