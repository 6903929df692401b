package io.stepwise.planner.rules.pachyderm;

import static io.stepwise.planner.rules.MinorPath.atLeast;
import static io.stepwise.planner.rules.PlanBuilder.params;

import io.stepwise.model.Product;
import io.stepwise.model.RefusalCode;
import io.stepwise.model.StepKind;
import io.stepwise.planner.catalog.VersionCatalog;
import io.stepwise.planner.catalog.Versions;
import io.stepwise.planner.rules.ClusterFacts;
import io.stepwise.planner.rules.MinorPath;
import io.stepwise.planner.rules.Plan;
import io.stepwise.planner.rules.PlanBuilder;
import io.stepwise.planner.rules.PlanRefusedException;
import io.stepwise.planner.rules.PlanningPolicy;
import io.stepwise.planner.rules.ProductPlanner;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.semver4j.Semver;

/**
 * Pachyderm's rules P1–P6 (docs/planning-rules.md). In its 1.x guides a "major release" means a minor line (1.8 → 1.9):
 * up to 1.10 every minor move is an extract / redeploy / restore migration, from 1.11 a plain upgrade;
 * 1.x → 2.x has no self-service procedure; 2.x moves are helm upgrades.
 */
public final class PachydermPlanner implements ProductPlanner {

    /** Up to this minor, moving to the next minor is a migration (P3); from 1.11 it is an upgrade (P4). */
    static final int LAST_MIGRATING_MINOR = 10;
    /** From 2.10, Pachyderm needs Postgres 15 or newer (P6). */
    static final Semver NEEDS_POSTGRES_15 = Semver.of(2, 10, 0);
    private static final Pattern LEADING_NUMBER = Pattern.compile("^\\s*v?(\\d+)");

    @Override
    public Product product() {
        return Product.PACHYDERM;
    }

    @Override
    public Plan plan(ClusterFacts cluster, Semver from, Semver to, VersionCatalog catalog, PlanBuilder plan,
                     PlanningPolicy policy) {
        if (to.isLowerThan(from)) {
            throw new PlanRefusedException(RefusalCode.UNSUPPORTED_PATH, "Pachyderm has no downgrade procedure:"
                    + " to go back to " + to.getVersion() + ", deploy it fresh and restore the backup taken"
                    + " before the upgrade");
        }
        if (from.getMajor() == 1 && to.getMajor() >= 2) {
            throw new PlanRefusedException(RefusalCode.UNSUPPORTED_PATH, "Pachyderm " + from.getVersion() + " → "
                    + to.getVersion() + " is a major migration with no self-service procedure (P5): create a new "
                    + to.getMajor() + ".x deployment and re-ingest the data, or ask the vendor for assistance");
        }
        if (from.getMajor() != to.getMajor()) {
            throw new PlanRefusedException(RefusalCode.UNSUPPORTED_PATH, "no known procedure moves Pachyderm from "
                    + from.getVersion() + " to " + to.getVersion());
        }
        if (to.getMajor() >= 2) {
            helmUpgrades(cluster, from, to, catalog, plan);
        } else {
            classicMoves(from, to, catalog, plan);
        }
        return new Plan(cluster.id(), Product.PACHYDERM, from.getVersion(), to.getVersion(), plan.steps());
    }

    /** 1.x: point upgrades (P2), migrations up to 1.10 → 1.11 (P3), upgrades from 1.11 (P4). */
    private static void classicMoves(Semver from, Semver to, VersionCatalog catalog, PlanBuilder plan) {
        plan.backup("P1", "Back up (bucket and volume snapshot) on " + from.getVersion()
                + " before changing the version.");
        if (Versions.sameLine(from, to)) {
            pointUpgrade(plan, to, "P2");
            return;
        }
        boolean backupIsFresh = true;
        Semver current = from;
        for (Semver next : MinorPath.walk(from, to, catalog)) {
            if (current.getMinor() > LAST_MIGRATING_MINOR) {
                plan.add(StepKind.UPGRADE, next.getVersion(), "P4", "From 1.11 a minor move is an upgrade:"
                        + " undeploy, update pachctl, redeploy " + next.getVersion() + " with the same arguments.");
                verify(plan, next, "P4");
            } else {
                Semver latestOfCurrent = catalog.latest(current.getMajor(), current.getMinor()).orElseThrow(() ->
                        new PlanRefusedException(RefusalCode.UNKNOWN_VERSION, "the catalog has no good "
                                + Versions.line(from) + " patch to upgrade to before migrating: add the line"));
                if (current.isLowerThan(latestOfCurrent)) {
                    plan.add(StepKind.UPGRADE, latestOfCurrent.getVersion(), "P3", "Before migrating, point-upgrade"
                            + " to " + latestOfCurrent.getVersion() + ", the latest " + Versions.line(current)
                            + " release (undeploy, update pachctl, redeploy with the same arguments).");
                    verify(plan, latestOfCurrent, "P3");
                    current = latestOfCurrent;
                    backupIsFresh = false;
                }
                migrate(plan, current, next, backupIsFresh);
            }
            backupIsFresh = false;
            current = next;
        }
    }

    private static void migrate(PlanBuilder plan, Semver current, Semver next, boolean backupIsFresh) {
        String move = current.getVersion() + " → " + next.getVersion();
        if (!backupIsFresh) {
            plan.backup("P3", "Snapshot the bucket and volumes on " + current.getVersion()
                    + " right before migrating " + move + ".");
        }
        boolean withObjects = Versions.onLine(current, 1, 7) && Versions.onLine(next, 1, 8);
        String extractId = plan.nextBackupId();
        plan.beginSegment("migration " + move + " (P3)");
        plan.add(StepKind.EXTRACT, null, "P3", withObjects
                ? "Extract metadata and objects (1.7 → 1.8 re-architected storage, so the full data moves)."
                : "Extract the metadata only (pachctl extract --no-objects); the objects stay in the bucket.",
                params("noObjects", !withObjects, "backupId", extractId));
        plan.add(StepKind.UNDEPLOY, null, "P3", "Undeploy " + current.getVersion() + " for the migration " + move + ".");
        plan.add(StepKind.DEPLOY, next.getVersion(), "P3", "Deploy " + next.getVersion() + " on a fresh metadata"
                + " store, with pachctl updated to match.", params("freshMetadataStore", true));
        plan.add(StepKind.RESTORE, null, "P3", "Restore what the extract wrote (pachctl restore) into the empty "
                + next.getVersion() + " cluster.", params("backupId", extractId));
        verify(plan, next, "P3");
        plan.endSegment();
    }

    /** 2.x → 2.y: helm upgrades one minor at a time (P6). */
    private static void helmUpgrades(ClusterFacts cluster, Semver from, Semver to, VersionCatalog catalog,
                                     PlanBuilder plan) {
        OptionalInt postgres = postgresMajor(cluster.postgresVersion());
        if (atLeast(to, 2, 10, 0) && postgres.isPresent() && postgres.getAsInt() < 15) {
            throw new PlanRefusedException(RefusalCode.PRECONDITION_FAILED, "Pachyderm " + to.getVersion()
                    + " needs Postgres 15 or newer and cluster " + cluster.id() + " runs Postgres "
                    + cluster.postgresVersion() + " (P6): upgrade Postgres first, or target 2.9 at most");
        }
        plan.backup("P1", "Back up the pachyderm and dex databases and the object store on " + from.getVersion()
                + " before changing the version.");
        // A cluster already on 2.10+ runs on Postgres 15+; one crossing into 2.10 with an unknown Postgres
        // waits for a person to confirm it rather than risk a metadata store the new version cannot use.
        boolean confirmPostgres = postgres.isEmpty() && from.isLowerThan(NEEDS_POSTGRES_15);
        for (Semver next : MinorPath.walk(from, to, catalog)) {
            if (confirmPostgres && next.isGreaterThanOrEqualTo(NEEDS_POSTGRES_15)) {
                plan.add(StepKind.MANUAL_APPROVAL, null, "P6", "Pachyderm 2.10 and later need Postgres 15 or newer,"
                        + " and this cluster's Postgres version is unknown: approve once it is confirmed.",
                        params("reason", "confirm the metadata Postgres is version 15 or newer"));
                confirmPostgres = false;
            }
            plan.add(StepKind.UPGRADE, next.getVersion(), "P6", "helm upgrade to " + next.getVersion()
                    + ", re-supplying the values generated at install (passwords, cluster deployment id, tokens).");
            verify(plan, next, "P6");
        }
    }

    private static void pointUpgrade(PlanBuilder plan, Semver to, String rule) {
        plan.add(StepKind.UPGRADE, to.getVersion(), rule, "Point upgrade within " + Versions.line(to)
                + ": undeploy, update pachctl, redeploy " + to.getVersion() + " with the same arguments.");
        verify(plan, to, rule);
    }

    private static void verify(PlanBuilder plan, Semver version, String rule) {
        plan.add(StepKind.VERIFY, version.getVersion(), rule, "Check that pachctl version shows client = server = "
                + version.getVersion() + ".");
    }

    static OptionalInt postgresMajor(String version) {
        if (version == null) {
            return OptionalInt.empty();
        }
        Matcher m = LEADING_NUMBER.matcher(version);
        return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }
}
