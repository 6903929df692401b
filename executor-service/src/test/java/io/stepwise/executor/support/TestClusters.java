package io.stepwise.executor.support;

import io.stepwise.model.ClusterConnection;
import io.stepwise.model.DeploymentKind;
import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import io.stepwise.simulator.ClusterInfo;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** Steps aimed at a simulated cluster, shaped as the planner sends them. */
public final class TestClusters {

    private final ClusterInfo cluster;
    private final Product product;
    private final String credentialsRef;
    private final Map<String, String> extra;
    private final String rolloutId = "r-" + UUID.randomUUID().toString().substring(0, 8);
    private final AtomicInteger seq = new AtomicInteger();

    private TestClusters(ClusterInfo cluster, String credentialsRef, Map<String, String> extra) {
        this.cluster = cluster;
        this.product = Product.fromId(cluster.product()).orElseThrow();
        this.credentialsRef = credentialsRef;
        this.extra = extra;
    }

    public static TestClusters of(ClusterInfo cluster) {
        return new TestClusters(cluster, null, Map.of());
    }

    public TestClusters withCredentialsRef(String ref) {
        return new TestClusters(cluster, ref, extra);
    }

    public TestClusters withExtra(Map<String, String> more) {
        Map<String, String> merged = new HashMap<>(extra);
        merged.putAll(more);
        return new TestClusters(cluster, credentialsRef, merged);
    }

    public String rolloutId() {
        return rolloutId;
    }

    public ClusterConnection connection() {
        return new ClusterConnection(cluster.endpoint(), DeploymentKind.fromId(cluster.deployment()).orElseThrow(),
                cluster.namespace(), cluster.statefulSet(), cluster.helmRelease(), credentialsRef, extra);
    }

    public StepRequested step(StepKind kind, String toVersion, Map<String, Object> params) {
        int n = seq.incrementAndGet();
        return new StepRequested(rolloutId + "-" + cluster.id() + "-" + n, rolloutId, cluster.id(), n, 1, product, kind,
                toVersion, params, connection());
    }

    public StepRequested step(StepKind kind, String toVersion) {
        return step(kind, toVersion, Map.of());
    }

    public StepRequested step(StepKind kind) {
        return step(kind, null, Map.of());
    }
}
