package io.stepwise.simulator.weaviate;

import io.stepwise.simulator.core.Version;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Renders the Weaviate REST models exactly as the server of a given version does: field names from
 * the OpenAPI spec, {@code omitempty} on false booleans and empty strings (except where the spec says
 * {@code x-omitempty: false}), fields that only exist from some version on.
 */
final class WeaviateJson {

    private WeaviateJson() {
    }

    static JsonObject error(String message) {
        return new JsonObject().put("error", new JsonArray().add(new JsonObject().put("message", message)));
    }

    /** go-openapi's own answer for unknown paths and methods (not an ErrorResponse). */
    static JsonObject routingError(int code, String message) {
        return new JsonObject().put("code", code).put("message", message);
    }

    static JsonObject meta(Version version) {
        JsonObject meta = new JsonObject()
                .put("hostname", "http://[::]:8080")
                .put("version", version.toString())
                .put("modules", new JsonObject()
                        .put("backup-s3", new JsonObject().put("bucketName", "weaviate-backups"))
                        .put("backup-filesystem", new JsonObject().put("backupsPath", "/var/lib/weaviate/backups")));
        // absent at 1.20 and 1.25.0, present at HEAD; 1.30 is this simulator's choice of the first version
        if (version.atLeast("1.30.0")) {
            meta.put("grpcMaxMessageSize", 104857600);
        }
        return meta;
    }

    static JsonObject nodes(Version version, WeaviateSnapshot snapshot, boolean verbose, String onlyClass) {
        JsonArray nodes = new JsonArray();
        int nodeCount = snapshot.nodes().size();
        for (int ordinal = 0; ordinal < nodeCount; ordinal++) {
            WeaviateSnapshot.Node node = snapshot.nodes().get(ordinal);
            JsonObject json = new JsonObject().put("name", node.name()).put("status", node.status());
            if (node.healthy()) {
                long objects = 0;
                int shardCount = 0;
                JsonArray shards = new JsonArray();
                for (Map.Entry<String, Long> c : snapshot.collections().entrySet()) {
                    if (onlyClass != null && !onlyClass.equals(c.getKey())) {
                        continue;
                    }
                    long count = objectsOnNode(c.getValue(), ordinal, nodeCount);
                    objects += count;
                    shardCount++;
                    shards.add(new JsonObject()
                            .put("name", shardName(c.getKey(), node.name()))
                            .put("class", c.getKey())
                            .put("objectCount", count)
                            .put("vectorIndexingStatus", "READY")
                            .put("compressed", false)
                            .put("vectorQueueLength", 0)
                            .put("loaded", true));
                }
                json.put("version", node.version())
                        .put("gitHash", gitHash(node.version()))
                        .put("stats", new JsonObject().put("shardCount", shardCount).put("objectCount", objects))
                        .put("batchStats", new JsonObject().put("ratePerSecond", 0));
                if (verbose) {
                    json.put("shards", shards);
                }
                // operationalMode is in the HEAD spec only; 1.37 is this simulator's choice of its first version
                if (version.atLeast("1.37.0")) {
                    json.put("operationalMode", "ReadWrite");
                }
            }
            nodes.add(json);
        }
        return new JsonObject().put("nodes", nodes);
    }

    /** {@code /v1/cluster/statistics}; {@code synchronized} is always present. */
    static JsonObject statistics(WeaviateSnapshot snapshot) {
        int voters = voterCount(snapshot.nodes().size());
        String leader = snapshot.nodes().stream().limit(voters).filter(WeaviateSnapshot.Node::healthy)
                .map(WeaviateSnapshot.Node::name).findFirst().orElse(null);
        JsonArray configuration = new JsonArray();
        for (int i = 0; i < voters; i++) {
            configuration.add(new JsonObject().put("address", address(i)).put("id", "weaviate-" + i).put("suffrage", 0));
        }
        JsonArray statistics = new JsonArray();
        for (int ordinal = 0; ordinal < snapshot.nodes().size(); ordinal++) {
            WeaviateSnapshot.Node node = snapshot.nodes().get(ordinal);
            JsonObject json = new JsonObject().put("name", node.name()).put("status", node.status());
            if (node.healthy()) {
                boolean isLeader = node.name().equals(leader);
                String applied = Long.toString(node.appliedIndex());
                json.put("bootstrapped", true)
                        .put("dbLoaded", true)
                        .put("initialLastAppliedIndex", node.appliedIndex())
                        .put("lastAppliedIndex", node.appliedIndex());
                if (ordinal < voters) {
                    json.put("isVoter", true); // false would be omitted
                }
                if (leader != null) {
                    json.put("leaderId", leader).put("leaderAddress", address(leader));
                }
                json.put("open", true).put("ready", true).put("candidates", new JsonObject());
                json.put("raft", new JsonObject()
                        .put("appliedIndex", applied)
                        .put("commitIndex", Long.toString(snapshot.raftIndex()))
                        .put("fsmPending", "0")
                        .put("lastContact", isLeader ? "0" : "12.5ms")
                        .put("lastLogIndex", Long.toString(snapshot.raftIndex()))
                        .put("lastLogTerm", "2")
                        .put("lastSnapshotIndex", "0")
                        .put("lastSnapshotTerm", "0")
                        .put("latestConfiguration", configuration.copy())
                        .put("latestConfigurationIndex", "0")
                        .put("numPeers", Integer.toString(Math.max(0, voters - 1)))
                        .put("protocolVersion", "3")
                        .put("protocolVersionMax", "3")
                        .put("protocolVersionMin", "0")
                        .put("snapshotVersionMax", "1")
                        .put("snapshotVersionMin", "0")
                        .put("state", isLeader ? "Leader" : "Follower")
                        .put("term", "2"));
            }
            statistics.add(json);
        }
        return new JsonObject().put("statistics", statistics).put("synchronized", snapshot.synchronizedState());
    }

    /** {@code /v1/schema/cluster-status}, the pre-1.25 sibling of the statistics endpoint. */
    static JsonObject schemaClusterStatus(WeaviateSnapshot snapshot) {
        boolean healthy = snapshot.nodes().stream().allMatch(WeaviateSnapshot.Node::healthy);
        JsonObject json = new JsonObject().put("healthy", healthy);
        if (!healthy) {
            json.put("error", "not all nodes are healthy");
        }
        return json.put("hostname", "weaviate-0")
                .put("nodeCount", snapshot.nodes().size())
                .put("ignoreSchemaSync", false);
    }

    static JsonObject backupCreated(BackupOperation backup) {
        return new JsonObject()
                .put("id", backup.id)
                .put("classes", new JsonArray(backup.classes))
                .put("backend", backup.backend)
                .put("path", backup.path)
                .put("status", BackupStatus.STARTED.name());
    }

    static JsonObject backupStatus(Version version, BackupOperation backup, Instant now) {
        BackupStatus status = backup.status(now);
        JsonObject json = new JsonObject()
                .put("id", backup.id)
                .put("backend", backup.backend)
                .put("path", backup.path);
        if (status == BackupStatus.FAILED) {
            json.put("error", backup.error);
        }
        json.put("status", status.shownBy(version));
        addTimes(version, json, backup, status);
        return json;
    }

    static JsonArray backupList(Version version, List<BackupOperation> backups, Instant now) {
        JsonArray list = new JsonArray();
        for (BackupOperation backup : backups) {
            BackupStatus status = backup.status(now);
            JsonObject json = new JsonObject().put("id", backup.id);
            if (version.below("1.33.0")) {
                json.put("path", backup.path);
            }
            json.put("classes", new JsonArray(backup.classes)).put("status", status.shownBy(version));
            addTimes(version, json, backup, status);
            list.add(json);
        }
        return list;
    }

    /** startedAt/completedAt came in 1.33, size (GiB) in 1.34. */
    private static void addTimes(Version version, JsonObject json, BackupOperation backup, BackupStatus status) {
        if (version.atLeast("1.33.0")) {
            json.put("startedAt", backup.startedAt.toString());
            if (status.terminal()) {
                json.put("completedAt", backup.completedAt().toString());
            }
        }
        if (version.atLeast("1.34.0") && status == BackupStatus.SUCCESS) {
            long objects = backup.objectCounts.values().stream().mapToLong(Long::longValue).sum();
            json.put("size", objects * 4096 / (1024.0 * 1024 * 1024));
        }
    }

    static JsonObject restoreStarted(BackupOperation restore) {
        return new JsonObject()
                .put("id", restore.id)
                .put("classes", new JsonArray(restore.classes))
                .put("backend", restore.backend)
                .put("path", restore.path)
                .put("status", BackupStatus.STARTED.name());
    }

    static JsonObject restoreStatus(Version version, BackupOperation restore, Instant now) {
        BackupStatus status = restore.status(now);
        JsonObject json = new JsonObject()
                .put("id", restore.id)
                .put("backend", restore.backend)
                .put("path", restore.path);
        if (status == BackupStatus.FAILED) {
            json.put("error", restore.error);
        }
        return json.put("status", status.shownBy(version));
    }

    /** Helm's raft_configuration: 1 voter below 3 replicas, 3 up to 9, 5 from 10. */
    private static int voterCount(int nodes) {
        return nodes < 3 ? 1 : nodes < 10 ? 3 : 5;
    }

    private static String address(int ordinal) {
        return "10.244.0." + (10 + ordinal) + ":8300";
    }

    private static String address(String nodeName) {
        return address(Integer.parseInt(nodeName.substring(nodeName.lastIndexOf('-') + 1)));
    }

    private static long objectsOnNode(long total, int ordinal, int nodes) {
        return total / nodes + (ordinal < total % nodes ? 1 : 0);
    }

    private static String shardName(String collection, String node) {
        String hash = Integer.toHexString((collection + "/" + node).hashCode() & 0x7fffffff);
        return ("shard" + hash + "000000000000").substring(0, 12);
    }

    private static String gitHash(String version) {
        return String.format("%07x", version.hashCode() & 0xfffffff);
    }
}
