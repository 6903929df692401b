package io.stepwise.planner.rules;

import io.stepwise.model.Product;
import io.stepwise.planner.catalog.VersionCatalog;
import java.util.List;

/**
 * One product's rules for getting a failed cluster back (docs/planning-rules.md, "Recovery"): which ways back its
 * vendor allows from where the cluster is, and their steps.
 */
public interface ProductRecovery {

    Product product();

    /**
     * @param backToBefore what the ordinary planning rules say of a plan from the cluster's version back to
     *                     {@code facts.versionBefore()}: the downgrade's steps, or the refusal that forbids it
     */
    List<RecoveryOption> options(RecoveryFacts facts, PlanOutcome backToBefore, VersionCatalog catalog,
                                 PlanBuilder plan);

    /** Where the backup's data lies, when the product keeps it somewhere a person should know of; else null. */
    default String backupArtefact(String clusterId, RecoveryFacts.Backup backup) {
        return null;
    }
}
