package io.stepwise.simulator.fault;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The faults that stand. Which clusters and nodes a random fault hits is a pure function of the seed
 * and the cluster id, so state stays computable without a thread per cluster; per-request faults
 * draw from one seeded generator per fault.
 */
public final class FaultInjector {

    /** What to do to one API call: wait, then maybe answer an error status. */
    public record ApiFault(long delayMs, int errorStatus) {
        public boolean fails() {
            return errorStatus > 0;
        }
    }

    /** Faults that are a cluster's state while they stand, not drawn per request. */
    private static final Set<FaultType> STATE_FAULTS = EnumSet.of(FaultType.NODE_CRASH, FaultType.SYNC_NEVER_CONVERGES);

    private final long defaultSeed;
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final Map<String, Random> requestRandoms = new ConcurrentHashMap<>();
    /** Requests (or backups) each fault with {@code times} has hit so far. */
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    public FaultInjector(long defaultSeed) {
        this.defaultSeed = defaultSeed;
    }

    public Fault inject(Fault fault) {
        if (fault.type() == null) {
            throw new IllegalArgumentException("a fault needs a type: one of " + List.of(FaultType.values()));
        }
        if (fault.probability() != null && (fault.probability() <= 0 || fault.probability() > 1)) {
            throw new IllegalArgumentException("probability must be in (0, 1]");
        }
        if (fault.times() != null && fault.times() < 1) {
            throw new IllegalArgumentException("times must be at least 1 (leave it out for every request)");
        }
        if (fault.times() != null && STATE_FAULTS.contains(fault.type())) {
            throw new IllegalArgumentException("times counts requests: " + fault.type() + " is a state, not per request");
        }
        Fault stored = fault.withId(fault.id() != null ? fault.id() : "fault-" + ids.incrementAndGet());
        faults.add(stored);
        return stored;
    }

    public void clear() {
        faults.clear();
        requestRandoms.clear();
        hits.clear();
    }

    public List<Fault> faults() {
        return List.copyOf(faults);
    }

    /** Decided per request; null when nothing goes wrong. */
    public ApiFault apiFault(String clusterId) {
        long delay = 0;
        int status = 0;
        for (Fault f : faults) {
            if (!appliesTo(f, clusterId)) {
                continue;
            }
            if (f.type() == FaultType.SLOW_API && draw(f)) {
                delay = Math.max(delay, f.delayMs() == null ? 1000 : f.delayMs());
            } else if (f.type() == FaultType.API_ERROR && draw(f)) {
                status = f.status() == null ? 500 : f.status();
            }
        }
        return delay == 0 && status == 0 ? null : new ApiFault(delay, status);
    }

    /** Decided once per backup when it starts. */
    public boolean backupFails(String clusterId) {
        return faults.stream().anyMatch(f -> f.type() == FaultType.BACKUP_FAILED && appliesTo(f, clusterId) && draw(f));
    }

    /** Decided per write of the cluster's StatefulSet. */
    public boolean kubernetesConflict(String clusterId) {
        return faults.stream().anyMatch(f -> f.type() == FaultType.KUBERNETES_CONFLICT && appliesTo(f, clusterId) && draw(f));
    }

    public boolean syncNeverConverges(String clusterId) {
        return faults.stream().anyMatch(f -> f.type() == FaultType.SYNC_NEVER_CONVERGES && hitsCluster(f, clusterId));
    }

    /** Whether a NODE_CRASH fault has taken {@code nodeName} down. */
    public boolean isCrashed(String clusterId, String nodeName, List<String> nodeNames) {
        for (Fault f : faults) {
            if (f.type() != FaultType.NODE_CRASH || !hitsCluster(f, clusterId)) {
                continue;
            }
            String victim = f.node() != null ? f.node()
                    : nodeNames.get(new Random(seedOf(f) ^ clusterId.hashCode()).nextInt(nodeNames.size()));
            if (victim.equals(nodeName)) {
                return true;
            }
        }
        return false;
    }

    private boolean appliesTo(Fault f, String clusterId) {
        return f.clusterId() == null || f.clusterId().equals(clusterId);
    }

    /** For state faults: a fault without a cluster id hits each cluster with its probability, stably. */
    private boolean hitsCluster(Fault f, String clusterId) {
        if (f.clusterId() != null) {
            return f.clusterId().equals(clusterId);
        }
        return f.chance() >= 1.0 || new Random(seedOf(f) * 31 + clusterId.hashCode()).nextDouble() < f.chance();
    }

    /** Whether a per-request fault hits this request: by its probability, while it has hits left. */
    private boolean draw(Fault f) {
        boolean hit;
        if (f.chance() >= 1.0) {
            hit = true;
        } else {
            Random random = requestRandoms.computeIfAbsent(f.id(), k -> new Random(seedOf(f)));
            synchronized (random) {
                hit = random.nextDouble() < f.chance();
            }
        }
        return hit && (f.times() == null || hits.computeIfAbsent(f.id(), k -> new AtomicInteger()).incrementAndGet() <= f.times());
    }

    private long seedOf(Fault f) {
        return f.seed() != null ? f.seed() : defaultSeed;
    }
}
