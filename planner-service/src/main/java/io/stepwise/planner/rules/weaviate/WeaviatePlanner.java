package io.stepwise.planner.rules.weaviate;

import static io.stepwise.planner.rules.MinorPath.atLeast;
import static io.stepwise.planner.rules.PlanBuilder.params;

import io.stepwise.model.DeploymentKind;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.semver4j.Semver;

/** Weaviate's upgrade and downgrade rules W2–W9 (docs/planning-rules.md), from the vendor's migration guides. */
public final class WeaviatePlanner implements ProductPlanner {

    /** Before this, restoring a backup could store data wrongly (W4). */
    static final Semver RESTORE_FIX = Semver.of(1, 23, 13);
    /** Raft metadata store (W5); also the floor below which SCHEMA_DOWNGRADE is needed (W9b). */
    static final Semver RAFT = Semver.of(1, 25, 0);
    /** Hops to this or later wait for synchronized metadata first (W7). */
    static final Semver SYNC_GATE = Semver.of(1, 26, 0);
    /** POST /v1/cluster/schema-v1 was removed here (W9b). */
    static final Semver SCHEMA_V1_REMOVED = Semver.of(1, 35, 0);
    /** The lowest 1.27 patch that reads the newer RAFT snapshots (W9a). */
    static final Semver SAFE_1_27 = Semver.of(1, 27, 26);

    @Override
    public Product product() {
        return Product.WEAVIATE;
    }

    @Override
    public Plan plan(ClusterFacts cluster, Semver from, Semver to, VersionCatalog catalog, PlanBuilder plan,
                     PlanningPolicy policy) {
        int nodes = requireNodes(cluster);
        if (to.isGreaterThan(from)) {
            upgrade(cluster, nodes, from, to, catalog, plan, policy);
        } else {
            downgrade(cluster, nodes, from, to, catalog, plan, policy);
        }
        return new Plan(cluster.id(), Product.WEAVIATE, from.getVersion(), to.getVersion(), plan.steps());
    }

    private static void upgrade(ClusterFacts cluster, int nodes, Semver from, Semver to, VersionCatalog catalog,
                                PlanBuilder plan, PlanningPolicy policy) {
        boolean restoreFix = from.isLowerThan(RESTORE_FIX) && atLeast(to, 1, 23, 0);
        if (restoreFix && Versions.onLine(to, 1, 23) && to.isLowerThan(RESTORE_FIX)) {
            throw new PlanRefusedException(RefusalCode.BLOCKED_VERSION, to.getVersion() + " still has the backup"
                    + " restoration bug fixed in 1.23.13 (W4): target 1.23.13 or later, ideally "
                    + catalog.latest(1, 23).map(Semver::getVersion).orElse("the latest 1.23 patch"));
        }
        List<Semver> hops = new ArrayList<>();
        if (restoreFix && Versions.onLine(from, 1, 23) && !Versions.onLine(to, 1, 23)) {
            // W4: already on 1.23 but below the fix: a hop within the minor comes first.
            hops.add(catalog.latest(1, 23).orElseThrow());
        }
        hops.addAll(MinorPath.walk(hops.isEmpty() ? from : hops.get(0), to, catalog));
        Optional<Semver> fixHop = hops.stream().filter(h -> Versions.onLine(h, 1, 23)).findFirst();
        if (restoreFix && fixHop.isPresent() && fixHop.get().isLowerThan(RESTORE_FIX)) {
            throw new PlanRefusedException(RefusalCode.PRECONDITION_FAILED, "the catalog's latest 1.23 patch "
                    + fixHop.get().getVersion() + " is below 1.23.13, so the restore fix (W4) cannot be applied:"
                    + " add 1.23.13 or later to the catalog");
        }

        String firstBackup = plan.backup("W3", "Back up the whole cluster on " + from.getVersion()
                + " before changing its version, as the vendor requires.");
        Semver previous = from;
        for (Semver hop : hops) {
            String version = hop.getVersion();
            syncGate(plan, hop, nodes, policy);
            boolean raftMigration = previous.isLowerThan(RAFT) && Versions.onLine(hop, 1, 25);
            boolean restoresAfterHop = restoreFix && hop.equals(fixHop.orElse(null));
            if (raftMigration) {
                plan.beginSegment("Raft migration to " + version + " (W5)");
            } else if (restoresAfterHop) {
                plan.beginSegment("restore fix on " + version + " (W4)");
            }
            if (raftMigration) {
                plan.add(StepKind.RAFT_MIGRATION, version, "W5", raftMigrationReason(cluster, previous, hop),
                        params("expectedNodes", nodes));
            } else {
                boolean withinMinorFix = Versions.sameLine(previous, hop) && !hop.equals(to);
                plan.add(StepKind.UPGRADE, version, withinMinorFix ? "W4" : "W2", withinMinorFix
                        ? "Move within 1.23 to " + version + ", past the restore bug fixed in 1.23.13."
                        : hop.equals(to) ? "Last hop: upgrade to the target " + version + " exactly."
                        : "Upgrade one minor at a time, to the latest good patch of " + Versions.line(hop) + ".");
            }
            verify(plan, hop, nodes);
            if (raftMigration) {
                plan.add(StepKind.SYNC_CHECK, null, "W5", "Confirm all " + nodes + " nodes joined the Raft cluster"
                        + " and the migrated metadata is synchronized.", syncParams(nodes, policy));
            }
            if (restoresAfterHop) {
                plan.add(StepKind.RESTORE, null, "W4", "Restore the backup taken on " + from.getVersion()
                        + ", now that " + version + " restores data correctly (bug fixed in 1.23.13).",
                        params("backupId", firstBackup));
            }
            plan.endSegment();
            if (Versions.onLine(hop, 1, 25) && atLeast(to, 1, 26, 0)) {
                plan.backup("W6", "Back up again on " + version + " after the Raft migration, before any later hop.");
            }
            previous = hop;
        }
    }

    private static void downgrade(ClusterFacts cluster, int nodes, Semver from, Semver to, VersionCatalog catalog,
                                  PlanBuilder plan, PlanningPolicy policy) {
        List<Semver> hops = MinorPath.walk(from, to, catalog);
        if (nodes > 1) {
            refuseRaftSnapshotTrap(nodes, from, hops, catalog);
        }
        boolean belowRaft = from.isGreaterThanOrEqualTo(RAFT) && to.isLowerThan(RAFT);
        if (belowRaft && from.isGreaterThanOrEqualTo(SCHEMA_V1_REMOVED)) {
            throw new PlanRefusedException(RefusalCode.DOWNGRADE_BLOCKED, "going below 1.25 needs"
                    + " POST /v1/cluster/schema-v1, which exists only on 1.25–1.34, and " + from.getVersion()
                    + " is 1.35 or later (W9b): restore a backup onto a fresh " + Versions.line(to)
                    + " cluster instead");
        }

        plan.backup("W3", "Back up the whole cluster on " + from.getVersion()
                + " before changing its version, as the vendor requires.");
        Semver previous = from;
        for (Semver hop : hops) {
            String version = hop.getVersion();
            syncGate(plan, hop, nodes, policy);
            boolean leavesRaft = previous.isGreaterThanOrEqualTo(RAFT) && hop.isLowerThan(RAFT);
            if (leavesRaft) {
                plan.beginSegment("leaving Raft for " + version + " (W9b)");
                plan.add(StepKind.SCHEMA_DOWNGRADE, null, "W9b", "Convert the Raft metadata back to the pre-1.25"
                        + " schema store on " + previous.getVersion() + " before going below 1.25.");
            }
            plan.add(StepKind.DOWNGRADE, version, "W9", (hop.equals(to) ? "Last hop: downgrade to the target "
                    + version + " exactly." : "Downgrade one minor at a time, to the latest good patch of "
                    + Versions.line(hop) + ".") + (leavesRaft && cluster.deployment() == DeploymentKind.KUBERNETES
                    ? " The StatefulSet is deleted (volumes kept) and re-created, as for the 1.25 migration." : ""),
                    leavesRaft ? params("recreateStatefulSet", cluster.deployment() == DeploymentKind.KUBERNETES)
                            : params());
            verify(plan, hop, nodes);
            plan.endSegment();
            previous = hop;
        }
    }

    /**
     * W9a. The trap is about the snapshots on disk, so it counts every version the cluster runs on the way
     * down, not only C: going 1.29.4 → 1.27.20 passes 1.28.16, which writes the new format.
     */
    private static void refuseRaftSnapshotTrap(int nodes, Semver from, List<Semver> hops, VersionCatalog catalog) {
        Semver writer = writesNewRaftSnapshots(from) ? from : null;
        for (Semver hop : hops) {
            if (writer != null && Versions.onLine(hop, 1, 27) && hop.isLowerThan(SAFE_1_27)) {
                String ran = writer.equals(from) ? "on " + from.getVersion()
                        : "that runs " + writer.getVersion() + " on its way down from " + from.getVersion();
                throw new PlanRefusedException(RefusalCode.DOWNGRADE_BLOCKED, "a " + nodes + "-node cluster " + ran
                        + " stores RAFT snapshots that 1.27 below 1.27.26 cannot read, so after a downgrade to "
                        + hop.getVersion() + " it never becomes Ready (W9a): the lowest safe 1.27 target is 1.27.26;"
                        + " choose " + catalog.latest(1, 27).map(Semver::getVersion).orElse("1.27.26") + " or later");
            }
            if (writer == null && writesNewRaftSnapshots(hop)) {
                writer = hop;
            }
        }
    }

    /** W9a: from these versions on, multi-node clusters write RAFT snapshots that 1.27 < 1.27.26 cannot read. */
    static boolean writesNewRaftSnapshots(Semver v) {
        if (v.getMajor() != 1) {
            return v.getMajor() > 1;
        }
        return switch (v.getMinor()) {
            case 28 -> v.getPatch() >= 13;
            case 29 -> v.getPatch() >= 5;
            case 30 -> v.getPatch() >= 2;
            default -> v.getMinor() > 30;
        };
    }

    private static void syncGate(PlanBuilder plan, Semver hop, int nodes, PlanningPolicy policy) {
        if (hop.isGreaterThanOrEqualTo(SYNC_GATE)) {
            plan.add(StepKind.SYNC_CHECK, null, "W7", "Before moving to " + hop.getVersion() + ", wait until all "
                    + nodes + " nodes report statistics and the metadata is synchronized (vendor's"
                    + " wait_for_raft_sync).", syncParams(nodes, policy));
        }
    }

    private static void verify(PlanBuilder plan, Semver hop, int nodes) {
        plan.add(StepKind.VERIFY, hop.getVersion(), "W8", "Check that all " + nodes + " nodes are healthy and report"
                + " exactly " + hop.getVersion() + ".", params("expectedNodes", nodes));
    }

    private static Map<String, Object> syncParams(int nodes, PlanningPolicy policy) {
        return params("expectedNodes", nodes, "timeoutSeconds", policy.syncCheckTimeoutSeconds());
    }

    private static String raftMigrationReason(ClusterFacts cluster, Semver previous, Semver hop) {
        String how = cluster.deployment() == DeploymentKind.DOCKER
                ? " With Docker the migration is automatic: change the version and confirm it."
                : " On Kubernetes: delete the StatefulSet keeping its volumes, use chart 17.0.0 or later with"
                + " image " + hop.getVersion() + ", and wait until all pods are back.";
        return "Move from " + previous.getVersion() + " into " + Versions.line(hop) + ", which migrates the"
                + " metadata to Raft once." + how;
    }

    private static int requireNodes(ClusterFacts cluster) {
        if (cluster.nodes() == null || cluster.nodes() < 1) {
            throw new PlanRefusedException(RefusalCode.PRECONDITION_FAILED, "the node count of cluster "
                    + cluster.id() + " is unknown: sync checks and the 1.27 downgrade rule depend on it;"
                    + " register the cluster with \"nodes\"");
        }
        return cluster.nodes();
    }
}
