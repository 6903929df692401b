package io.stepwise.planner.rules.pachyderm;

import static io.stepwise.planner.rules.PlanBuilder.params;

import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.planner.catalog.VersionCatalog;
import io.stepwise.planner.catalog.Versions;
import io.stepwise.planner.rules.Plan;
import io.stepwise.planner.rules.PlanBuilder;
import io.stepwise.planner.rules.PlanOutcome;
import io.stepwise.planner.rules.ProductRecovery;
import io.stepwise.planner.rules.RecoveryFacts;
import io.stepwise.planner.rules.RecoveryOption;
import io.stepwise.planner.rules.RecoveryOption.Kind;
import io.stepwise.planner.rules.Refusal;
import java.util.List;
import org.semver4j.Semver;

/**
 * Pachyderm's ways back for a failed cluster (P7, P8 in docs/planning-rules.md): there is no downgrade; on 1.x the
 * pre-upgrade dump is restored into a fresh deployment of the version before the rollout; a 2.x backup is the
 * operator's own and only the operator can load it back.
 */
public final class PachydermRecovery implements ProductRecovery {

    /** pachctl extract and restore came in 1.7 and were backported to this bridge release. */
    static final Semver FIRST_RESTORE = Semver.of(1, 6, 10);

    @Override
    public Product product() {
        return Product.PACHYDERM;
    }

    @Override
    public List<RecoveryOption> options(RecoveryFacts facts, PlanOutcome backToBefore, VersionCatalog catalog,
                                        PlanBuilder plan) {
        return List.of(downgrade(facts, backToBefore), restore(facts, plan));
    }

    /** Where the executor keeps the dump a BACKUP wrote (executor-service, PachydermDumps). */
    @Override
    public String backupArtefact(String clusterId, RecoveryFacts.Backup backup) {
        return "{stepwise.executor.artifacts.directory}/" + clusterId + "/" + backup.backupId() + ".dump";
    }

    /** P7: Pachyderm has no downgrade procedure. */
    private static RecoveryOption downgrade(RecoveryFacts facts, PlanOutcome backToBefore) {
        String before = facts.versionBefore();
        if (!facts.moved()) {
            return RecoveryOption.refused(Kind.DOWNGRADE, before, "P7", "the cluster's verified version is "
                    + facts.cluster().version() + ", the version it ran before the rollout: there is nothing to go"
                    + " back from; retry the failed step once its cause is fixed, or restore the backup");
        }
        if (backToBefore instanceof Plan path) {
            // the failed rollout went down, so going back is an ordinary upgrade
            return new RecoveryOption(Kind.DOWNGRADE, true, before, "P7", "Go back from " + facts.cluster().version()
                    + " to " + before + ": " + path.summary() + ".", path.steps());
        }
        return RecoveryOption.refused(Kind.DOWNGRADE, before, "P7", ((Refusal) backToBefore).message());
    }

    /** P8: redeploy the version before the rollout on a fresh metadata store and restore the pre-upgrade dump. */
    private RecoveryOption restore(RecoveryFacts facts, PlanBuilder plan) {
        String before = facts.versionBefore();
        RecoveryFacts.Backup backup = facts.backup();
        if (backup == null) {
            return RecoveryOption.refused(Kind.RESTORE_BACKUP, before, "P1", "the rollout took no backup before"
                    + " changing the version, so there is none to restore");
        }
        if (!backup.succeeded()) {
            return RecoveryOption.refused(Kind.RESTORE_BACKUP, before, "P1", "the pre-upgrade backup "
                    + backup.backupId() + " (step " + backup.seq() + ") did not succeed"
                    + (backup.message() == null ? "" : " (" + backup.message() + ")")
                    + ", so there is nothing to restore");
        }
        Semver target = Versions.parse(before).orElseThrow();
        String dump = backupArtefact(facts.cluster().id(), backup);
        if (target.getMajor() >= 2) {
            return RecoveryOption.refused(Kind.RESTORE_BACKUP, before, "P8", "a 2.x backup is what the operator's"
                    + " stepwise.executor.pachyderm.v2-backup-command wrote (" + dump + "): a pg_dump of the pachyderm"
                    + " and dex databases plus a bucket copy, and Pachyderm has no command that loads it back; restore"
                    + " both databases and the bucket by hand, then helm install " + before + " with values pointing"
                    + " at them (the vendor's backup and restore guide)");
        }
        if (target.isLowerThan(FIRST_RESTORE)) {
            return RecoveryOption.refused(Kind.RESTORE_BACKUP, before, "P8", "pachctl restore exists from 1.6.10"
                    + " and 1.7 on, and " + before + " is older: deploy 1.6.10 or later and restore there");
        }
        String id = backup.backupId();
        plan.beginSegment("restore of backup " + id + " onto " + before + " (P8)");
        plan.add(StepKind.UNDEPLOY, null, "P8", "Undeploy what the failed rollout left (" + facts.cluster().version()
                + "), once the pre-upgrade dump " + id + " is found unchanged.", params("backupId", id));
        plan.add(StepKind.DEPLOY, before, "P8", "Deploy " + before + " on a fresh metadata store, with pachctl"
                + " updated to match: pachctl restore needs an empty cluster.", params("freshMetadataStore", true));
        plan.add(StepKind.RESTORE, null, "P8", "Restore the dump taken on " + before + " before the rollout"
                + " (pachctl restore < " + dump + ").", params("backupId", id));
        plan.add(StepKind.VERIFY, before, "P8", "Check that pachctl version shows client = server = " + before + ".");
        plan.endSegment();
        return new RecoveryOption(Kind.RESTORE_BACKUP, true, before, "P8", "Redeploy " + before + " and restore the"
                + " dump " + id + " taken on it before the rollout: the data as it was when the rollout began.",
                plan.steps());
    }
}
