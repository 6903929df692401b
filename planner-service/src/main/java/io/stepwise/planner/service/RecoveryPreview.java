package io.stepwise.planner.service;

import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.planner.rules.RecoveryOption;
import java.util.List;

/**
 * Where a cluster that failed in a rollout stands, and its ways back.
 *
 * @param version       the version the inventory holds (the last one a VERIFY confirmed)
 * @param versionBefore the version it ran before the rollout
 * @param backup        the rollout's pre-upgrade backup, or null when its plan took none
 * @param rolloutEnded  whether the rollout has ended: until then it holds the cluster (for a retry), and a new
 *                      rollout of it is refused as busy
 */
public record RecoveryPreview(String rolloutId, String clusterId, Product product, String version,
                              String versionBefore, FailedStep failedStep, Backup backup, boolean rolloutEnded,
                              List<RecoveryOption> options) {

    /** The step the cluster failed at. */
    public record FailedStep(int seq, StepKind kind, String toVersion, String error, String errorCode) {
    }

    /** {@code artefact}: where the backup's data lies, when the product says (a Pachyderm dump); else null. */
    public record Backup(int seq, String backupId, String backend, String state, String message, String artefact) {
    }
}
