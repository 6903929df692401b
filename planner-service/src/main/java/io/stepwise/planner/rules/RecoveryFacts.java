package io.stepwise.planner.rules;

import io.stepwise.planner.catalog.Versions;
import java.util.Optional;
import org.semver4j.Semver;

/**
 * What is known of a cluster that failed in a rollout, enough to say how it can get back.
 *
 * @param cluster       the cluster as the inventory holds it: {@code version} is the last one a VERIFY confirmed
 * @param versionBefore the version it ran before the rollout (the rollout's plan started there)
 * @param backup        the rollout's pre-upgrade backup (its first BACKUP step), or null when the plan had none
 */
public record RecoveryFacts(ClusterFacts cluster, String versionBefore, Backup backup) {

    /** Whether a VERIFY confirmed another version than the one before the rollout: the cluster has moved. */
    public boolean moved() {
        Optional<Semver> now = Versions.parse(cluster.version());
        Optional<Semver> before = Versions.parse(versionBefore);
        return now.isPresent() && before.isPresent() && !now.get().isEqualTo(before.get());
    }

    /**
     * @param backend    the step's backend when it named one, else the cluster's {@code extra.backupBackend}; null
     *                   when the executor's default applies
     * @param succeeded  whether the backup step SUCCEEDED: only then is there something to restore
     * @param message    the executor's last word on the step (where a Pachyderm dump was written, an error)
     */
    public record Backup(int seq, String backupId, String backend, boolean succeeded, String message) {
    }
}
