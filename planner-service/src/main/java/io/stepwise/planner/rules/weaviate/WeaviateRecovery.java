package io.stepwise.planner.rules.weaviate;

import static io.stepwise.planner.rules.PlanBuilder.params;

import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.planner.catalog.BlockedRange;
import io.stepwise.planner.catalog.VersionCatalog;
import io.stepwise.planner.catalog.Versions;
import io.stepwise.planner.rules.Plan;
import io.stepwise.planner.rules.PlanBuilder;
import io.stepwise.planner.rules.PlanOutcome;
import io.stepwise.planner.rules.PlannedStep;
import io.stepwise.planner.rules.ProductRecovery;
import io.stepwise.planner.rules.RecoveryFacts;
import io.stepwise.planner.rules.RecoveryOption;
import io.stepwise.planner.rules.RecoveryOption.Kind;
import io.stepwise.planner.rules.Refusal;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.semver4j.Semver;

/**
 * Weaviate's ways back for a failed cluster (W10, W11 in docs/planning-rules.md): a downgrade by the rules of W9,
 * or the pre-upgrade backup restored onto the version before the rollout, where the restore itself is sound there.
 */
public final class WeaviateRecovery implements ProductRecovery {

    private static final Pattern RULE = Pattern.compile("\\((W\\d+[a-z]?)\\)");

    @Override
    public Product product() {
        return Product.WEAVIATE;
    }

    @Override
    public List<RecoveryOption> options(RecoveryFacts facts, PlanOutcome backToBefore, VersionCatalog catalog,
                                        PlanBuilder plan) {
        return List.of(downgrade(facts, backToBefore), restore(facts, backToBefore, catalog, plan));
    }

    /** W10: the W9 downgrade from the verified version back to the one before the rollout, with its refusals. */
    private static RecoveryOption downgrade(RecoveryFacts facts, PlanOutcome backToBefore) {
        String before = facts.versionBefore();
        if (!facts.moved()) {
            return RecoveryOption.refused(Kind.DOWNGRADE, before, "W10", "the cluster's verified version is "
                    + facts.cluster().version() + ", the version it ran before the rollout: there is nothing to go"
                    + " back from; retry the failed step once its cause is fixed, or restore the backup");
        }
        if (backToBefore instanceof Refusal refusal) {
            return RecoveryOption.refused(Kind.DOWNGRADE, before, ruleOf(refusal), refusal.message());
        }
        Plan path = (Plan) backToBefore;
        return new RecoveryOption(Kind.DOWNGRADE, true, before, "W10", "Go back from " + facts.cluster().version()
                + " to " + before + " one minor at a time (W9), keeping the data the cluster holds now: "
                + path.summary() + ".", path.steps());
    }

    /** W11: restore the W3 backup on the version it was taken on, after the W10 downgrade when the cluster moved. */
    private static RecoveryOption restore(RecoveryFacts facts, PlanOutcome backToBefore, VersionCatalog catalog,
                                          PlanBuilder plan) {
        String before = facts.versionBefore();
        RecoveryFacts.Backup backup = facts.backup();
        if (backup == null) {
            return RecoveryOption.refused(Kind.RESTORE_BACKUP, before, "W3", "the rollout took no backup before"
                    + " changing the version, so there is none to restore");
        }
        if (!backup.succeeded()) {
            return RecoveryOption.refused(Kind.RESTORE_BACKUP, before, "W3", "the pre-upgrade backup "
                    + backup.backupId() + " (step " + backup.seq() + ") did not succeed"
                    + (backup.message() == null ? "" : " (" + backup.message() + ")")
                    + ", so there is nothing to restore");
        }
        Semver target = Versions.parse(before).orElseThrow();
        if (target.isLowerThan(WeaviatePlanner.RESTORE_FIX)) {
            return RecoveryOption.refused(Kind.RESTORE_BACKUP, before, "W4", "restoring a backup on " + before
                    + " can store data wrongly, a bug fixed in 1.23.13 (W4): restore it onto a fresh 1.23.13 or"
                    + " later cluster instead");
        }
        Optional<BlockedRange> blocked = catalog.blockedBy(target);
        if (blocked.isPresent()) {
            return RecoveryOption.refused(Kind.RESTORE_BACKUP, before, "W1", before + " is blocked ("
                    + blocked.get().describe() + ": " + blocked.get().reason() + "), so a restore there may never"
                    + " finish: restore the backup onto a fresh cluster of the line's latest good patch instead");
        }
        if (facts.cluster().nodes() == null || facts.cluster().nodes() < 1) {
            return RecoveryOption.refused(Kind.RESTORE_BACKUP, before, "W8", "the node count of cluster "
                    + facts.cluster().id() + " is unknown, and a backup restores only onto as many nodes as it was"
                    + " taken on: register the cluster with \"nodes\"");
        }
        if (facts.moved()) {
            if (backToBefore instanceof Refusal refusal) {
                return RecoveryOption.refused(Kind.RESTORE_BACKUP, before, ruleOf(refusal), "the backup can only be"
                        + " restored on " + before + ", the version it was taken on, and going back there is refused: "
                        + refusal.message());
            }
            ((Plan) backToBefore).steps().forEach(plan::append);
        }
        int nodes = facts.cluster().nodes();
        plan.beginSegment("restore of backup " + backup.backupId() + " (W11)");
        plan.add(StepKind.RESTORE, null, "W11", "Restore the backup taken on " + before + " before the rollout:"
                + " the collections it holds are deleted first, then come back as they were; writes since are lost.",
                backup.backend() == null ? params("backupId", backup.backupId())
                        : params("backupId", backup.backupId(), "backend", backup.backend()));
        plan.add(StepKind.VERIFY, before, "W8", "Check that all " + nodes + " nodes are healthy and report exactly "
                + before + ".", params("expectedNodes", nodes));
        plan.endSegment();
        List<PlannedStep> steps = plan.steps();
        return new RecoveryOption(Kind.RESTORE_BACKUP, true, before, "W11", "Restore backup " + backup.backupId()
                + (facts.moved() ? " after going back to " + before + " (W9)" : " on " + before
                + ", the version the cluster still runs") + ": the data as it was when the rollout began.", steps);
    }

    /** The rule a refusal names in its sentence, else W1 (the checks every plan passes first). */
    private static String ruleOf(Refusal refusal) {
        Matcher m = RULE.matcher(refusal.message());
        return m.find() ? m.group(1) : "W1";
    }
}
