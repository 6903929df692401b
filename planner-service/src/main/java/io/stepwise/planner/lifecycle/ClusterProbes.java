package io.stepwise.planner.lifecycle;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.stepwise.model.ProbeResult;
import io.stepwise.model.Product;
import io.stepwise.planner.domain.Cluster;
import io.stepwise.planner.persistence.ClusterProbeRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Probes that belong to no rollout (a preview's): asked for at once, their answers awaited by the caller. */
@ApplicationScoped
public class ClusterProbes {

    private static final long POLL_MILLIS = 200;

    private final Announcements announce;
    private final ClusterProbeRepository results;

    ClusterProbes(Announcements announce, ClusterProbeRepository results) {
        this.announce = announce;
        this.results = results;
    }

    /** Asks the executor to probe these clusters, in a transaction of its own; answers each cluster's probe id. */
    public Map<String, String> request(Product product, List<Cluster> clusters) {
        String batch = RolloutLifecycle.PREVIEW_PROBE + UUID.randomUUID();
        Map<String, String> probeIds = new LinkedHashMap<>();
        clusters.forEach(c -> probeIds.put(c.id, batch + ":" + c.id));
        QuarkusTransaction.requiringNew().run(() -> clusters.forEach(c ->
                announce.probe(probeIds.get(c.id), product, c)));
        return probeIds;
    }

    /** The answers to these probes that arrive within {@code timeout}, by probe id. */
    public Map<String, ProbeResult> await(Collection<String> probeIds, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, ProbeResult> found = results.find(probeIds);
        while (found.size() < probeIds.size() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            found = QuarkusTransaction.requiringNew().call(() -> results.find(probeIds));
        }
        return found;
    }
}
