package io.stepwise.executor.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.stepwise.simulator.FleetSimulator;
import io.stepwise.simulator.SimulatorSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * One in-process fleet simulator per test JVM (real HTTP, the fabric8 Kubernetes mock, the pachctl
 * launcher), with the executor pointed at it and every interval shrunk to milliseconds so failure
 * paths end in seconds.
 */
public class SimulatorResource implements QuarkusTestResourceLifecycleManager {

    /** The API key of clusters created with one; the executor finds it under this config key. */
    public static final String API_KEY_REF = "stepwise.test.weaviate-api-key";
    public static final String API_KEY = "s3cr3t-test-key";

    private static volatile FleetSimulator simulator;

    public static FleetSimulator simulator() {
        if (simulator == null) {
            throw new IllegalStateException("the fleet simulator is not started; annotate the test with "
                    + "@QuarkusTestResource(SimulatorResource.class)");
        }
        return simulator;
    }

    @Override
    public Map<String, String> start() {
        if (simulator == null) {
            // The simulator lives in the parent class loader (quarkus.class-loading.parent-first-artifacts);
            // its fabric8 client finds its HTTP client through the context class loader, which must be that
            // one too, not the Quarkus one (whose factory is a different class).
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(FleetSimulator.class.getClassLoader());
            try {
                simulator = FleetSimulator.start(0, SimulatorSettings.defaults()
                        .withBackupDuration(Duration.ofMillis(150))
                        .withNodeRestartDuration(Duration.ofMillis(30))
                        .withSyncDuration(Duration.ofMillis(30))
                        .withTickInterval(Duration.ofMillis(10)));
                simulator.kubernetesUrl(); // started now, under this class loader, rather than lazily in a test
            } finally {
                thread.setContextClassLoader(previous);
            }
        }
        Map<String, String> config = new HashMap<>(simulator.executorSettings());
        config.put(API_KEY_REF, API_KEY);

        // Attempts waiting for a cluster, or orphaned by a dead executor, are looked at often; leases stay long enough
        // that a busy test machine never lets one lapse between renewals.
        config.put("stepwise.executor.sweep-interval", "200ms");
        config.put("stepwise.executor.lease-duration", "6s");
        config.put("stepwise.executor.heartbeat-interval", "600ms");
        config.put("stepwise.executor.weaviate.request-timeout", "3s");
        config.put("stepwise.executor.weaviate.max-retries", "2");
        config.put("stepwise.executor.weaviate.retry-delay", "20ms");
        // Longer than verify-timeout: a breaker shared across clusters would fail the healthy cluster in the isolation test.
        config.put("stepwise.executor.weaviate.circuit-breaker.delay", "2s");
        config.put("stepwise.executor.weaviate.backup-poll-interval", "20ms");
        config.put("stepwise.executor.weaviate.backup-timeout", "10s");
        config.put("stepwise.executor.weaviate.restore-timeout", "10s");
        config.put("stepwise.executor.weaviate.sync-poll-interval", "20ms");
        config.put("stepwise.executor.weaviate.sync-timeout", "10s");
        config.put("stepwise.executor.weaviate.nodes-poll-interval", "20ms");
        config.put("stepwise.executor.weaviate.rollout-timeout", "5s");
        config.put("stepwise.executor.weaviate.verify-timeout", "1s");
        config.put("stepwise.executor.actuator.kubernetes.poll-interval", "20ms");
        config.put("stepwise.executor.actuator.kubernetes.rollout-timeout", "5s");
        config.put("stepwise.executor.actuator.kubernetes.delete-timeout", "5s");
        config.put("stepwise.executor.actuator.command-timeout", "60s");

        // helm is the simulator's stand-in (pachctl's comes with executorSettings), run as a real process.
        String helm = simulator.helmCommand().toString();
        config.put("stepwise.executor.pachyderm.helm-upgrade",
                helm + " upgrade {release} pach/pachyderm --reuse-values --set pachd.image.tag={version} --wait");
        config.put("stepwise.executor.artifacts.directory", artifactsDir().toString());
        config.put("stepwise.executor.pachyderm.version-timeout", "4s");
        config.put("stepwise.executor.pachyderm.poll-interval", "50ms");
        config.put("stepwise.executor.pachyderm.command-timeout", "60s");
        // No kubectl here: the orphan delete goes to the simulated API server with curl, as kubectl would send it.
        config.put("stepwise.executor.actuator.command.raft-migration-prepare", "curl -fsS -X DELETE"
                + " -H Content-Type:application/json -d '{\"propagationPolicy\":\"Orphan\"}' "
                + simulator.kubernetesUrl().replaceAll("/+$", "") + "/apis/apps/v1/namespaces/{namespace}/statefulsets/{statefulSet}");
        config.put("stepwise.executor.actuator.command.set-version",
                helm + " upgrade {release} weaviate/weaviate --namespace {namespace} --reuse-values --set image.tag={version}");
        return config;
    }

    private static java.nio.file.Path artifactsDir() {
        try {
            return java.nio.file.Files.createTempDirectory("stepwise-executor-test-artifacts");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void stop() {
        if (simulator != null) {
            simulator.close();
            simulator = null;
        }
    }
}
