package io.stepwise.simulator.fault;

/**
 * A fault to inject ({@code POST /admin/faults}).
 *
 * @param id          assigned by the simulator when null
 * @param clusterId   the cluster it applies to; null means every cluster (each picked with {@code probability})
 * @param type        what goes wrong
 * @param node        NODE_CRASH: the node name; null picks one with the seed
 * @param delayMs     SLOW_API: the delay
 * @param status      API_ERROR: the HTTP status, default 500
 * @param probability chance (0..1] that a request, backup or cluster is hit; default 1
 * @param seed        seed for the random choices; default the simulator's seed
 * @param times       per-request faults (SLOW_API, API_ERROR, KUBERNETES_CONFLICT, BACKUP_FAILED): hit only
 *                    this many requests (or backups), then stand down; default every one
 */
public record Fault(String id, String clusterId, FaultType type, String node, Long delayMs, Integer status,
                    Double probability, Long seed, Integer times) {

    public static Fault of(String clusterId, FaultType type) {
        return new Fault(null, clusterId, type, null, null, null, null, null, null);
    }

    public static Fault nodeCrash(String clusterId, String node) {
        return new Fault(null, clusterId, FaultType.NODE_CRASH, node, null, null, null, null, null);
    }

    public static Fault slowApi(String clusterId, long delayMs) {
        return new Fault(null, clusterId, FaultType.SLOW_API, null, delayMs, null, null, null, null);
    }

    public static Fault apiError(String clusterId, int status) {
        return new Fault(null, clusterId, FaultType.API_ERROR, null, null, status, null, null, null);
    }

    public Fault withProbability(double p, long s) {
        return new Fault(id, clusterId, type, node, delayMs, status, p, s, times);
    }

    /** The fault stands down after hitting this many requests. */
    public Fault times(int n) {
        return new Fault(id, clusterId, type, node, delayMs, status, probability, seed, n);
    }

    Fault withId(String newId) {
        return new Fault(newId, clusterId, type, node, delayMs, status, probability, seed, times);
    }

    double chance() {
        return probability == null ? 1.0 : probability;
    }
}
