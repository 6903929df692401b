package io.stepwise.simulator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code POST /admin/clusters} and {@link FleetSimulator#createCluster} take.
 *
 * @param id          cluster id, {@code [a-z0-9][a-z0-9-]{0,62}}
 * @param product     {@code weaviate} or {@code pachyderm}
 * @param version     version every node starts on, e.g. {@code 1.24.10}
 * @param nodes       node count (Weaviate; names weaviate-0..n-1), default 1
 * @param deployment  {@code kubernetes}, {@code docker} or {@code command} (helm), default docker
 * @param collections Weaviate collections with their object counts (Pachyderm: repos with commit counts)
 * @param apiKey      when set, every Weaviate API call needs {@code Authorization: Bearer <apiKey>}
 * @param namespace   Kubernetes namespace of the StatefulSet (default from the settings, {@code weaviate})
 * @param statefulSet StatefulSet (and helm release) name, default the cluster id
 * @param durations   how long this Weaviate cluster's backups, node restarts and syncs take, e.g.
 *                    {@code {"backup": "PT0.2S", "nodeRestart": "PT0.1S", "sync": "PT0.05S"}}; default the
 *                    simulator's settings
 */
public record ClusterSpec(
        String id,
        String product,
        String version,
        Integer nodes,
        String deployment,
        Map<String, Long> collections,
        String apiKey,
        String namespace,
        String statefulSet,
        Durations durations) {

    public ClusterSpec {
        collections = collections == null ? Map.of() : new LinkedHashMap<>(collections);
    }

    public static ClusterSpec weaviate(String id, String version, int nodes, String deployment) {
        return new ClusterSpec(id, "weaviate", version, nodes, deployment, Map.of("Article", 1000L), null, null, null, null);
    }

    public static ClusterSpec pachyderm(String id, String version) {
        return new ClusterSpec(id, "pachyderm", version, 1, "command", Map.of("images", 3L), null, null, null, null);
    }

    public ClusterSpec withCollections(Map<String, Long> c) {
        return new ClusterSpec(id, product, version, nodes, deployment, c, apiKey, namespace, statefulSet, durations);
    }

    public ClusterSpec withApiKey(String key) {
        return new ClusterSpec(id, product, version, nodes, deployment, collections, key, namespace, statefulSet, durations);
    }

    public ClusterSpec withStatefulSet(String ns, String name) {
        return new ClusterSpec(id, product, version, nodes, deployment, collections, apiKey, ns, name, durations);
    }

    public ClusterSpec withDurations(Durations d) {
        return new ClusterSpec(id, product, version, nodes, deployment, collections, apiKey, namespace, statefulSet, d);
    }
}
