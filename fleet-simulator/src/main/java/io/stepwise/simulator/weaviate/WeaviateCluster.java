package io.stepwise.simulator.weaviate;

import io.stepwise.simulator.core.SimulationContext;
import io.stepwise.simulator.core.SimulatorException;
import io.stepwise.simulator.core.Version;
import io.stepwise.simulator.ledger.EffectType;
import io.stepwise.simulator.ledger.ViolationRule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One simulated Weaviate cluster: its nodes, collections, backup store and Raft state, and the
 * vendor rules that bite when a version change or restore is done wrong.
 *
 * <p>No thread runs per cluster. A version change is a plan of moments (node k restarts at t, is
 * ready at t + restart); every read first {@link #advance(Instant) advances} the plan to the clock.
 * All methods are synchronized on the cluster; they are short and never block.
 */
public final class WeaviateCluster {

    private static final Pattern BACKUP_ID = Pattern.compile("^[a-z0-9_-]+$");
    private static final List<String> BACKENDS = List.of("filesystem", "s3", "gcs", "azure");
    /** How far a restarted node's Raft applied index trails until it has caught up. */
    private static final long RAFT_LAG = 3;

    private final String id;
    private final Deployment deployment;
    private final String apiKey;
    private final String namespace;
    private final String statefulSetName;
    private final SimulationContext context;
    private final Timing timing;
    private final List<WeaviateNode> nodes = new ArrayList<>();
    private final Map<String, Long> collections = new TreeMap<>();
    private final Map<String, BackupOperation> backups = new LinkedHashMap<>();
    private final Map<String, BackupOperation> restores = new LinkedHashMap<>();

    private Version targetVersion;
    private long raftIndex;
    private boolean statefulSetPresent;
    private boolean schemaV1Done;
    private boolean dataCorrupted;

    // the roll in progress: nodes still to restart, the one restarting, and when it started
    private final Deque<WeaviateNode> rollQueue = new ArrayDeque<>();
    private WeaviateNode rolling;
    private Instant rollingSince;
    private boolean rollStuck;
    private String rollStepId;
    /** The version the roll started from, to name the version change when another operation overlaps it. */
    private Version rollFrom;

    /** How long this cluster's backups and restores, node restarts and Raft catch-ups take. */
    public record Timing(Duration backup, Duration nodeRestart, Duration sync) {
    }

    public WeaviateCluster(String id, Version version, int nodeCount, Map<String, Long> collections, String apiKey,
                           Deployment deployment, String namespace, String statefulSetName, Timing timing,
                           SimulationContext context) {
        if (nodeCount < 1) {
            throw new IllegalArgumentException("nodes must be at least 1");
        }
        this.id = id;
        this.deployment = deployment;
        this.apiKey = apiKey;
        this.namespace = namespace;
        this.statefulSetName = statefulSetName;
        this.context = context;
        this.timing = timing;
        this.targetVersion = version;
        for (int i = 0; i < nodeCount; i++) {
            nodes.add(new WeaviateNode(i, targetVersion));
        }
        this.collections.putAll(collections);
        this.raftIndex = 100 + this.collections.size();
        this.statefulSetPresent = deployment.hasStatefulSet();
    }

    public String id() {
        return id;
    }

    public Deployment deployment() {
        return deployment;
    }

    public String apiKey() {
        return apiKey;
    }

    public String namespace() {
        return namespace;
    }

    public String statefulSetName() {
        return statefulSetName;
    }

    public int nodeCount() {
        return nodes.size();
    }

    public synchronized Version targetVersion() {
        return targetVersion;
    }

    public synchronized boolean statefulSetPresent() {
        return statefulSetPresent;
    }

    // ---------------------------------------------------------------- time

    /** Moves the roll and finished restores forward to {@code now}. */
    synchronized void advance(Instant now) {
        while (rolling != null || !rollQueue.isEmpty()) {
            if (rolling == null) {
                WeaviateNode next = rollQueue.poll();
                restartNode(next, rollingSince);
                rolling = next;
            }
            if (rolling.stuck() || now.isBefore(rolling.downUntil)) {
                break;
            }
            rollingSince = rolling.downUntil;
            rolling = null;
        }
        for (BackupOperation restore : restores.values()) {
            if (!restore.applied && restore.succeeded(now)) {
                restore.applied = true;
                restore.classes.forEach(c -> collections.put(c, restore.objectCounts.getOrDefault(c, 0L)));
                raftIndex += restore.classes.size();
            }
        }
    }

    private void restartNode(WeaviateNode node, Instant at) {
        Duration restart = timing.nodeRestart();
        Instant readyAt = rollStuck ? Instant.MAX : at.plus(restart);
        Instant syncedAt = rollStuck ? Instant.MAX : readyAt.plus(timing.sync());
        Version from = node.version;
        node.restart(targetVersion, readyAt, syncedAt);
        context.ledger().effect(id, EffectType.VERSION_CHANGED, rollStepId,
                Map.of("node", node.name, "from", from.toString(), "to", targetVersion.toString()));
    }

    /** A roll is under way or a node has not caught up yet; Kubernetes status needs refreshing. */
    public synchronized boolean settling(Instant now) {
        advance(now);
        return rolling != null || !rollQueue.isEmpty()
                || nodes.stream().anyMatch(n -> n.restarting(now) || !n.caughtUp(now));
    }

    // ---------------------------------------------------------------- version changes

    /**
     * Starts moving the cluster to {@code version}: a new image tag on a live StatefulSet, or a
     * Docker restart. Records the violations of the vendor's upgrade rules.
     */
    public synchronized void changeVersion(Version version, String stepId) {
        Instant now = context.now();
        advance(now);
        if (version.equals(targetVersion) && nodes.stream().noneMatch(WeaviateNode::stuck)) {
            return; // setting the same tag twice is a no-op, also while the roll still moves to it
        }
        if (!statefulSetPresent && deployment.hasStatefulSet()) {
            throw new SimulatorException(409, "StatefulSet " + namespace + "/" + statefulSetName + " does not exist");
        }
        if (!version.equals(targetVersion)) { // the same target again continues the roll, it begins nothing
            beginning("version change " + targetVersion + " -> " + version, stepId, now);
        }
        boolean stuck = checkHop(targetVersion, version, stepId, now, false);
        context.ledger().effect(id, EffectType.IMAGE_CHANGED, stepId,
                Map.of("from", targetVersion.toString(), "to", version.toString()));
        rollFrom = targetVersion;
        targetVersion = version;
        rollStuck = stuck;
        rollStepId = stepId;
        rollQueue.clear();
        if (rolling != null && !rolling.version.equals(version)) {
            rollQueue.add(rolling); // the node mid-restart is restarted again on the new version
        }
        rolling = null;
        nodes.stream().filter(n -> !n.version.equals(version) || n.stuck())
                .sorted(Comparator.comparingInt((WeaviateNode n) -> n.ordinal).reversed())
                .filter(n -> !rollQueue.contains(n))
                .forEach(rollQueue::add);
        rollingSince = now;
        advance(now);
    }

    /** The StatefulSet is gone (volumes kept): every pod stops. */
    public synchronized void statefulSetDeleted(String stepId) {
        advance(context.now());
        if (!statefulSetPresent) {
            return;
        }
        beginning("deletion of StatefulSet " + namespace + "/" + statefulSetName, stepId, context.now());
        statefulSetPresent = false;
        rollQueue.clear();
        rolling = null;
        nodes.forEach(n -> n.podPresent = false);
        context.ledger().effect(id, EffectType.STATEFULSET_DELETED, stepId,
                Map.of("namespace", namespace, "statefulSet", statefulSetName));
    }

    /** A StatefulSet appeared again (helm upgrade after a delete): all pods start at once on its image. */
    public synchronized void statefulSetCreated(Version version, String stepId) {
        Instant now = context.now();
        advance(now);
        if (statefulSetPresent) {
            return;
        }
        beginning(version.equals(targetVersion) ? "re-creation of StatefulSet " + namespace + "/" + statefulSetName
                : "version change " + targetVersion + " -> " + version + " (new StatefulSet)", stepId, now);
        statefulSetPresent = true;
        context.ledger().effect(id, EffectType.STATEFULSET_CREATED, stepId,
                Map.of("namespace", namespace, "statefulSet", statefulSetName, "version", version.toString()));
        boolean stuck = !version.equals(targetVersion) && checkHop(targetVersion, version, stepId, now, true);
        if (!version.equals(targetVersion)) {
            context.ledger().effect(id, EffectType.IMAGE_CHANGED, stepId,
                    Map.of("from", targetVersion.toString(), "to", version.toString()));
        }
        rollFrom = targetVersion;
        targetVersion = version;
        rollStuck = stuck;
        rollStepId = stepId;
        for (WeaviateNode node : nodes) {
            if (node.version.equals(version)) {
                Instant readyAt = now.plus(timing.nodeRestart());
                node.restart(version, readyAt, readyAt.plus(timing.sync()));
            } else {
                restartNode(node, now);
            }
        }
    }

    /** Checks one hop against the vendor rules; true when the new pods will never become ready. */
    private boolean checkHop(Version from, Version to, String stepId, Instant now, boolean newStatefulSet) {
        boolean stuck = false;
        if (from.minorDistance(to) > 1) {
            violation(ViolationRule.SKIPPED_MINOR, "hop " + from + " -> " + to
                    + " skips a minor; Weaviate must move one minor at a time", stepId);
        }
        if (to.atLeast("1.26.0") && from.atLeast("1.25.0") && to.compareTo(from) > 0
                && !newStatefulSet && !synchronizedAt(now)) {
            violation(ViolationRule.HOP_WHILE_UNSYNCHRONIZED, "hop " + from + " -> " + to
                    + " started while the cluster metadata was not synchronized", stepId);
        }
        if (deployment.hasStatefulSet() && !newStatefulSet && from.below("1.25.0") && to.atLeast("1.25.0")) {
            violation(ViolationRule.RAFT_MIGRATION_WITHOUT_STATEFULSET_DELETE, "hop " + from + " -> " + to
                    + " on a live StatefulSet: podManagementPolicy must become Parallel, so the StatefulSet must be "
                    + "deleted first; the new pod never becomes ready", stepId);
            stuck = true;
        }
        if (nodes.size() > 1 && raftSnapshotTrap(from, to)) {
            violation(ViolationRule.RAFT_SNAPSHOT_DOWNGRADE, "downgrade " + from + " -> " + to
                    + " of a multi-node cluster: the RAFT snapshot is incompatible below 1.27.26; nodes never "
                    + "become ready", stepId);
            stuck = true;
        }
        if (from.atLeast("1.25.0") && to.below("1.25.0")) {
            if (!schemaV1Done) {
                violation(ViolationRule.DOWNGRADE_WITHOUT_SCHEMA_V1, "downgrade " + from + " -> " + to
                        + " without POST /v1/cluster/schema-v1 first: the schema is lost", stepId);
                dataCorrupted = true;
            }
            schemaV1Done = false;
        }
        return stuck;
    }

    private static boolean raftSnapshotTrap(Version from, Version to) {
        boolean fromAffected = (from.minor() == 28 && from.patch() >= 13) || (from.minor() == 29 && from.patch() >= 5)
                || (from.minor() == 30 && from.patch() >= 2) || (from.major() == 1 && from.minor() > 30);
        return from.major() == 1 && to.major() == 1 && fromAffected && to.minor() == 27 && to.below("1.27.26");
    }

    private void violation(ViolationRule rule, String message, String stepId) {
        context.ledger().violation(id, rule, message, stepId);
    }

    // ---------------------------------------------------------------- operations

    /**
     * Records CONCURRENT_OPERATION when {@code operation} begins while another mutating operation has not ended: a
     * backup or restore before its final status, a version change before every node runs the new version.
     * Schema-v1, a collection's deletion and a StatefulSet's deletion end as they begin.
     */
    private void beginning(String operation, String stepId, Instant now) {
        advance(now);
        List<String> running = new ArrayList<>();
        if (versionChanging(now)) {
            boolean sameVersion = rollFrom == null || rollFrom.equals(targetVersion);
            running.add((sameVersion ? "restart of every node on " + targetVersion
                    : "version change " + rollFrom + " -> " + targetVersion) + step(rollStepId));
        }
        backups.values().stream().filter(b -> !b.status(now).terminal())
                .forEach(b -> running.add("backup " + b.backend + "/" + b.id + step(b.stepId)));
        restores.values().stream().filter(r -> !r.status(now).terminal())
                .forEach(r -> running.add("restore of " + r.backend + "/" + r.id + step(r.stepId)));
        if (!running.isEmpty()) {
            violation(ViolationRule.CONCURRENT_OPERATION, operation + step(stepId) + " began while "
                    + String.join(" and ", running) + " had not ended", stepId);
        }
    }

    /** A node is still to restart on the target version, restarting, or stuck; none while the pods are gone. */
    private boolean versionChanging(Instant now) {
        return rolling != null || !rollQueue.isEmpty() || nodes.stream()
                .anyMatch(n -> n.podPresent && (n.restarting(now) || !n.version.equals(targetVersion)));
    }

    private static String step(String stepId) {
        return stepId == null ? "" : " (step " + stepId + ")";
    }

    // ---------------------------------------------------------------- state

    private String nodeStatus(WeaviateNode node, Instant now) {
        boolean down = !node.podPresent || node.restarting(now)
                || context.faults().isCrashed(id, node.name, nodes.stream().map(n -> n.name).toList());
        return down ? "UNAVAILABLE" : "HEALTHY";
    }

    private long appliedIndex(WeaviateNode node, Instant now) {
        boolean neverConverges = node.ordinal == nodes.size() - 1 && context.faults().syncNeverConverges(id);
        return !node.caughtUp(now) || neverConverges ? raftIndex - RAFT_LAG : raftIndex;
    }

    /**
     * As Weaviate's getNodesStatistics computes it: every listed node HEALTHY and one single Raft applied index among
     * them (https://github.com/weaviate/weaviate/blob/v1.25.0/adapters/handlers/rest/handlers_nodes.go).
     */
    private boolean synchronizedAt(Instant now) {
        Set<Long> indexes = new HashSet<>();
        for (WeaviateNode node : nodes) {
            if (!"HEALTHY".equals(nodeStatus(node, now))) {
                return false;
            }
            indexes.add(appliedIndex(node, now));
        }
        if (context.faults().syncNeverConverges(id) && nodes.size() == 1) {
            return false; // a single node cannot disagree with itself; the fault keeps it unsettled anyway
        }
        return indexes.size() == 1;
    }

    public synchronized WeaviateSnapshot snapshot() {
        Instant now = context.now();
        advance(now);
        List<WeaviateSnapshot.Node> views = new ArrayList<>();
        for (WeaviateNode node : nodes) {
            String status = nodeStatus(node, now);
            views.add(new WeaviateSnapshot.Node(node.name, node.version.toString(), status,
                    "HEALTHY".equals(status), appliedIndex(node, now)));
        }
        long healthy = views.stream().filter(WeaviateSnapshot.Node::healthy).count();
        String answering = views.stream().filter(WeaviateSnapshot.Node::healthy).map(WeaviateSnapshot.Node::version)
                .findFirst().orElse(null);
        boolean ready = healthy >= nodes.size() / 2 + 1;
        List<Map<String, Object>> backupViews = backups.values().stream().map(b -> describe(b, now)).toList();
        List<Map<String, Object>> restoreViews = restores.values().stream().map(r -> describe(r, now)).toList();
        return new WeaviateSnapshot(id, answering, targetVersion.toString(), List.copyOf(views),
                Map.copyOf(collections), rolling != null || !rollQueue.isEmpty(), ready, synchronizedAt(now),
                raftIndex, statefulSetPresent, dataCorrupted, backupViews, restoreViews);
    }

    private static Map<String, Object> describe(BackupOperation op, Instant now) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", op.id);
        view.put("backend", op.backend);
        view.put("status", op.status(now).name());
        view.put("classes", op.classes);
        view.put("serverVersion", op.serverVersion);
        view.put("startedAt", op.startedAt.toString());
        if (op.error != null) {
            view.put("error", op.error);
        }
        return view;
    }

    /** The version the node answering a request runs: the lowest-ordinal healthy node, as a stable stand-in for a load balancer. */
    synchronized Version answeringVersion() {
        Instant now = context.now();
        advance(now);
        return nodes.stream().filter(n -> "HEALTHY".equals(nodeStatus(n, now))).map(n -> n.version)
                .findFirst().orElseThrow(() -> new SimulatorException(503, "no healthy upstream"));
    }

    synchronized Map<String, Long> collections() {
        advance(context.now());
        return Map.copyOf(collections);
    }

    // ---------------------------------------------------------------- schema

    /** DELETE /v1/schema/{className}: drops the collection and its objects (200 even when absent, as Weaviate). */
    synchronized void deleteCollection(String name, String stepId) {
        Instant now = context.now();
        advance(now);
        if (collections.containsKey(name)) {
            beginning("deletion of collection " + name, stepId, now);
            collections.remove(name);
            raftIndex++;
            context.ledger().effect(id, EffectType.COLLECTION_DELETED, stepId, Map.of("collection", name));
        }
    }

    /**
     * Objects of a collection vanish (what a test does to see a lost write caught): {@code objects} fewer, down to
     * none. Recorded as an effect; answers the count left.
     */
    public synchronized long loseObjects(String collection, long objects, String stepId) {
        advance(context.now());
        if (objects < 1) {
            throw new IllegalArgumentException("objects must be at least 1, got " + objects);
        }
        Long count = collections.get(collection);
        if (count == null) {
            throw new SimulatorException(404, "cluster " + id + " has no collection " + collection);
        }
        long left = Math.max(0, count - objects);
        collections.put(collection, left);
        context.ledger().effect(id, EffectType.OBJECTS_LOST, stepId, Map.of("collection", collection,
                "before", count, "after", left));
        return left;
    }

    synchronized void schemaV1(String stepId) {
        beginning("POST /v1/cluster/schema-v1", stepId, context.now());
        schemaV1Done = true;
        context.ledger().effect(id, EffectType.SCHEMA_V1, stepId, Map.of("version", targetVersion.toString()));
    }

    // ---------------------------------------------------------------- backups

    synchronized BackupOperation createBackup(String backend, String backupId, List<String> include, List<String> exclude,
                                              String stepId) {
        Instant now = context.now();
        advance(now);
        Version version = answeringVersion();
        requireBackend(backend);
        if (backend.equals("filesystem") && nodes.size() > 1) {
            throw new SimulatorException(422,
                    "local filesystem backend is not viable for backing up a node cluster, try s3 or gcs");
        }
        requireValidId(backupId);
        if (!include.isEmpty() && !exclude.isEmpty()) {
            throw new SimulatorException(422, "malformed request: 'include' and 'exclude' cannot both contain values");
        }
        List<String> classes = new ArrayList<>(include.isEmpty() ? collections.keySet() : include);
        if (classes.isEmpty()) {
            throw new SimulatorException(422, "no available classes to backup, there's nothing to do here");
        }
        classes.removeAll(exclude);
        if (classes.isEmpty()) {
            throw new SimulatorException(422, "empty class list: please choose from : " + collections.keySet());
        }
        for (String c : classes) {
            if (!collections.containsKey(c)) {
                throw new SimulatorException(422, "class " + c + " doesn't exist");
            }
        }
        String key = backend + "/" + backupId;
        BackupOperation existing = backups.get(key);
        if (existing != null && existing.status(now) != BackupStatus.CANCELED) {
            throw new SimulatorException(422, "backup \"" + backupId + "\" already exists at \"" + existing.path + "\"");
        }
        beginning("backup " + key, stepId, now);
        String error = context.faults().backupFails(id)
                ? "upload " + backupId + ": put object: simulated storage failure" : null;
        Map<String, Long> counts = new LinkedHashMap<>();
        classes.forEach(c -> counts.put(c, collections.get(c)));
        BackupOperation backup = new BackupOperation(backupId, backend, backupPath(backend, backupId), classes, counts,
                version.toString(), nodes.stream().map(n -> n.name).toList(), now,
                timing.backup(), error, stepId);
        backups.put(key, backup);
        context.ledger().effect(id, EffectType.BACKUP_CREATED, stepId, Map.of("backupId", backupId,
                "backend", backend, "classes", classes, "version", version.toString()));
        return backup;
    }

    synchronized BackupOperation backup(String backend, String backupId) {
        advance(context.now());
        requireBackend(backend);
        BackupOperation backup = backups.get(backend + "/" + backupId);
        if (backup == null) {
            throw new SimulatorException(404, "backup id \"" + backupId + "\" does not exist: object not found: "
                    + backupPath(backend, backupId) + "/backup_config.json");
        }
        return backup;
    }

    synchronized List<BackupOperation> backups(String backend) {
        advance(context.now());
        requireBackend(backend);
        return backups.values().stream().filter(b -> b.backend.equals(backend)).toList();
    }

    synchronized void cancelBackup(String backend, String backupId, String stepId) {
        Instant now = context.now();
        BackupOperation backup = backup(backend, backupId);
        BackupStatus status = backup.status(now);
        if (status == BackupStatus.SUCCESS) {
            throw new SimulatorException(422, "backup already succeeded");
        }
        if (!status.terminal()) {
            backup.canceledAt = now;
            context.ledger().effect(id, EffectType.BACKUP_CANCELED, stepId, Map.of("backupId", backupId));
        }
    }

    synchronized BackupOperation restore(String backend, String backupId, List<String> include, List<String> exclude,
                                         String stepId) {
        Instant now = context.now();
        advance(now);
        Version version = answeringVersion();
        requireBackend(backend);
        if (backend.equals("filesystem") && nodes.size() > 1) {
            throw new SimulatorException(422,
                    "local filesystem backend is not viable for backing up a node cluster, try s3 or gcs");
        }
        if (!include.isEmpty() && !exclude.isEmpty()) {
            throw new SimulatorException(422, "malformed request: 'include' and 'exclude' cannot both contain values");
        }
        BackupOperation backup = backup(backend, backupId);
        BackupStatus backupStatus = backup.status(now);
        if (backupStatus != BackupStatus.SUCCESS) {
            throw new SimulatorException(422, "invalid backup " + backup.path + " status: " + backupStatus.name());
        }
        Version takenOn = Version.parse(backup.serverVersion);
        if (version.atLeast("1.39.0") && takenOn.below("1.23.0")) {
            violation(ViolationRule.LEGACY_BACKUP_RESTORE, "backup " + backupId + " was taken on " + takenOn
                    + " (before 1.23) and cannot be restored on " + version, stepId);
            throw new SimulatorException(422, "backup " + backupId + " was created by Weaviate " + takenOn
                    + ", which uses the legacy flat shard layout that this version can no longer restore: "
                    + "restore it on a release that still supports it and create a new backup");
        }
        List<String> classes = new ArrayList<>(include.isEmpty() ? backup.classes : include);
        classes.removeAll(exclude);
        for (String c : classes) {
            if (!backup.classes.contains(c)) {
                throw new SimulatorException(422, "class " + c + " doesn't exist in the backup, but does have "
                        + backup.classes + ": ");
            }
        }
        if (classes.isEmpty()) {
            throw new SimulatorException(422, "nothing left to restore: please choose from : " + backup.classes);
        }
        beginning("restore of " + backend + "/" + backupId, stepId, now);
        String error = null;
        List<String> existing = classes.stream().filter(collections::containsKey).toList();
        if (!existing.isEmpty()) {
            error = "restore class " + existing.get(0) + ": already exists";
            violation(ViolationRule.RESTORE_ONTO_EXISTING_COLLECTIONS, "restore of " + backupId
                    + " onto existing collections " + existing + "; delete them or restore into a fresh cluster",
                    stepId);
        }
        if (version.below("1.23.13") && error == null) {
            violation(ViolationRule.RESTORE_BELOW_1_23_13, "restore of " + backupId + " on " + version
                    + " (below 1.23.13, known data-corruption bug): restored data is corrupted", stepId);
            dataCorrupted = true;
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        classes.forEach(c -> counts.put(c, backup.objectCounts.get(c)));
        BackupOperation restore = new BackupOperation(backupId, backend, backup.path, classes, counts,
                version.toString(), backup.nodeNames, now, timing.backup(), error, stepId);
        restores.put(backend + "/" + backupId, restore);
        context.ledger().effect(id, EffectType.RESTORE_STARTED, stepId, Map.of("backupId", backupId,
                "backend", backend, "classes", classes, "version", version.toString()));
        advance(now);
        return restore;
    }

    synchronized BackupOperation restoreStatus(String backend, String backupId) {
        advance(context.now());
        requireBackend(backend);
        BackupOperation restore = restores.get(backend + "/" + backupId);
        if (restore == null) {
            throw new SimulatorException(404, "status not found: " + backend + "/" + backupId);
        }
        return restore;
    }

    synchronized void cancelRestore(String backend, String backupId, String stepId) {
        Instant now = context.now();
        BackupOperation restore = restoreStatus(backend, backupId);
        if (!restore.status(now).terminal()) {
            restore.canceledAt = now;
            context.ledger().effect(id, EffectType.RESTORE_CANCELED, stepId, Map.of("backupId", backupId));
        }
    }

    private static void requireValidId(String backupId) {
        if (backupId == null || !BACKUP_ID.matcher(backupId).matches()) {
            throw new SimulatorException(422, "invalid backup id: allowed characters are lowercase, 0-9, _, -");
        }
    }

    private static void requireBackend(String backend) {
        if (!BACKENDS.contains(backend)) {
            throw new SimulatorException(422, "no backup backend \"" + backend + "\": backup: module not found"
                    + ", did you enable the right module?");
        }
    }

    private static String backupPath(String backend, String backupId) {
        return switch (backend) {
            case "filesystem" -> "/var/lib/weaviate/backups/" + backupId;
            case "s3" -> "s3://weaviate-backups/" + backupId;
            case "gcs" -> "gs://weaviate-backups/" + backupId;
            default -> "https://weaviate.blob.core.windows.net/weaviate-backups/" + backupId;
        };
    }
}
