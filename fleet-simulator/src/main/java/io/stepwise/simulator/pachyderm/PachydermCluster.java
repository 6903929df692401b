package io.stepwise.simulator.pachyderm;

import io.stepwise.simulator.core.SimulationContext;
import io.stepwise.simulator.core.SimulatorException;
import io.stepwise.simulator.core.Version;
import io.stepwise.simulator.ledger.EffectType;
import io.stepwise.simulator.ledger.ViolationRule;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One simulated Pachyderm cluster: pachd's version, whether it is deployed, its metadata (repos
 * with commit counts) and the version of the {@code pachctl} installed next to it.
 *
 * <p>A 1.x deploy onto a different minor line than the metadata's starts on a fresh metadata store,
 * as the vendor's migration does (extract, undeploy, deploy on fresh etcd, restore): anything not
 * extracted first is gone.
 */
public final class PachydermCluster {

    private final String id;
    private final SimulationContext context;
    private final Map<String, Long> repos = new TreeMap<>();
    private Version serverVersion;
    private Version clientVersion;
    /** The minor line that wrote the metadata store. */
    private Version metadataVersion;
    private boolean deployed = true;
    /** The commands pachd is serving now. */
    private final List<Command> serving = new ArrayList<>();

    /**
     * A mutating command (extract, restore, undeploy, deploy, a helm upgrade) from the moment its request reaches pachd
     * until pachd answers: the simulated commands take effect at once, so that span is all the time they take.
     */
    static final class Command {
        final String name;
        final String stepId;

        Command(String name, String stepId) {
            this.name = name;
            this.stepId = stepId;
        }

        @Override
        public String toString() {
            return stepId == null ? name : name + " (step " + stepId + ")";
        }
    }

    public PachydermCluster(String id, Version version, Map<String, Long> repos, SimulationContext context) {
        this.id = id;
        this.context = context;
        this.serverVersion = version;
        this.clientVersion = version;
        this.metadataVersion = version;
        this.repos.putAll(repos);
    }

    public String id() {
        return id;
    }

    public synchronized Version serverVersion() {
        return serverVersion;
    }

    public synchronized Version clientVersion() {
        return clientVersion;
    }

    public synchronized boolean deployed() {
        return deployed;
    }

    public synchronized Map<String, Long> repos() {
        return Map.copyOf(repos);
    }

    /** Commits of a repo vanish (what a test does to see a loss caught): {@code commits} fewer, down to none. */
    public synchronized long loseCommits(String repo, long commits, String stepId) {
        if (commits < 1) {
            throw new IllegalArgumentException("objects must be at least 1, got " + commits);
        }
        Long count = repos.get(repo);
        if (count == null) {
            throw new SimulatorException(404, "cluster " + id + " has no repo " + repo);
        }
        long left = Math.max(0, count - commits);
        repos.put(repo, left);
        context.ledger().effect(id, EffectType.OBJECTS_LOST, stepId, Map.of("repo", repo, "before", count,
                "after", left));
        return left;
    }

    /** The mutating commands pachd is serving now, e.g. {@code pachctl extract (step s-1)}. */
    public synchronized List<String> serving() {
        return serving.stream().map(Command::toString).toList();
    }

    public synchronized JsonObject describe() {
        return new JsonObject()
                .put("serverVersion", serverVersion.toString())
                .put("clientVersion", clientVersion.toString())
                .put("deployed", deployed)
                .put("repos", new JsonObject(new LinkedHashMap<>(repos)))
                .put("serving", serving());
    }

    /** A command reaches pachd; records CONCURRENT_OPERATION when pachd still serves another. */
    synchronized Command begin(String name, String stepId) {
        Command command = new Command(name, stepId);
        if (!serving.isEmpty()) {
            context.ledger().violation(id, ViolationRule.CONCURRENT_OPERATION, command + " began while "
                    + String.join(" and ", serving()) + " had not ended", stepId);
        }
        serving.add(command);
        return command;
    }

    /** pachd answers the command, or its connection closed first; a second end changes nothing. */
    synchronized void end(Command command) {
        serving.remove(command);
    }

    /** What helm upgrade does to pachd (2.x): {@link #deploy} of {@code version}, as one command. */
    public void helmUpgrade(Version version, String stepId) {
        Command command = begin("helm upgrade to " + version, stepId);
        try {
            deploy(version, "helm upgrade", stepId);
        } finally {
            end(command);
        }
    }

    /**
     * A 2.x backup as an operator scripts it (pg_dump of the pachyderm and dex databases plus a bucket copy): the
     * dump's bytes, and a BACKUP_CREATED effect.
     */
    public byte[] backup(String stepId) {
        Command command = begin("backup", stepId);
        try {
            synchronized (this) {
                requireDeployed();
                JsonObject dump = new JsonObject().put("kind", "pachyderm-v2-backup")
                        .put("version", serverVersion.toString())
                        .put("repos", new JsonObject(new LinkedHashMap<>(repos)));
                context.ledger().effect(id, EffectType.BACKUP_CREATED, stepId,
                        Map.of("version", serverVersion.toString()));
                return dump.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
        } finally {
            end(command);
        }
    }

    /** pachctl extract: the metadata (and object data unless noObjects) as a stream. */
    synchronized byte[] extract(boolean noObjects, String destination, String stepId) {
        requireDeployed();
        requireExtractEra(serverVersion);
        JsonObject stream = new JsonObject()
                .put("kind", "pachyderm-extract")
                .put("version", serverVersion.toString())
                .put("noObjects", noObjects)
                .put("repos", new JsonObject(new LinkedHashMap<>(repos)));
        context.ledger().effect(id, EffectType.EXTRACT, stepId, Map.of("noObjects", noObjects,
                "destination", destination, "version", serverVersion.toString(), "repos", repos.size()));
        return (stream.encode() + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** pachctl restore: only into an empty cluster. */
    synchronized void restore(byte[] data, String source, String stepId) {
        requireDeployed();
        requireExtractEra(serverVersion);
        JsonObject stream;
        try {
            stream = new JsonObject(new String(data, StandardCharsets.UTF_8).trim());
        } catch (RuntimeException e) {
            throw new SimulatorException(400, "restore: could not read the extract stream: " + e.getMessage());
        }
        if (!"pachyderm-extract".equals(stream.getString("kind"))) {
            throw new SimulatorException(400, "restore: could not read the extract stream: not a pachctl extract");
        }
        if (!repos.isEmpty()) {
            context.ledger().violation(id, ViolationRule.PACHYDERM_RESTORE_INTO_NON_EMPTY_CLUSTER,
                    "pachctl restore into a cluster that holds " + repos.size() + " repos; restore needs a "
                            + "freshly deployed, empty cluster", stepId);
            throw new SimulatorException(409, "restore: the cluster is not empty (" + repos.size()
                    + " repos); restore only into a freshly deployed cluster");
        }
        stream.getJsonObject("repos").forEach(e -> repos.put(e.getKey(), ((Number) e.getValue()).longValue()));
        metadataVersion = serverVersion;
        context.ledger().effect(id, EffectType.PACHYDERM_RESTORE, stepId, Map.of("source", source,
                "fromVersion", stream.getString("version"), "version", serverVersion.toString(), "repos", repos.size()));
    }

    synchronized void undeploy(boolean all, String stepId) {
        if (!deployed) {
            return;
        }
        deployed = false;
        if (all) {
            repos.clear(); // --all also deletes the volumes holding the metadata
        }
        context.ledger().effect(id, EffectType.UNDEPLOY, stepId, Map.of("version", serverVersion.toString(), "all", all));
    }

    /** pachctl deploy (1.x) or a helm upgrade (2.x) of {@code version}; the client moves with it. */
    synchronized void deploy(Version version, String how, String stepId) {
        Version from = serverVersion;
        boolean migration = version.major() == 1 && !version.sameMinor(metadataVersion)
                && Math.min(version.minor(), metadataVersion.minor()) <= 10;
        if (migration) {
            repos.clear(); // the migration deploys onto fresh etcd
            metadataVersion = version;
        }
        serverVersion = version;
        clientVersion = version;
        deployed = true;
        context.ledger().effect(id, EffectType.DEPLOY, stepId, Map.of("from", from.toString(),
                "to", version.toString(), "via", how, "freshMetadata", migration));
    }

    private void requireDeployed() {
        if (!deployed) {
            throw new SimulatorException(503, "error connecting to pachd server: context deadline exceeded");
        }
    }

    private static void requireExtractEra(Version v) {
        if (!PachydermEras.hasExtract(v)) {
            throw new SimulatorException(501, "unknown service admin.API (pachd " + v + " has no extract/restore)");
        }
    }
}
