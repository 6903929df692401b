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

    /** The API key of clusters created with one: a secret of the executor's store, bound to the clusters below. */
    public static final String API_KEY_REF = "secret:weaviate-test-key";
    public static final String API_KEY = "s3cr3t-test-key";
    /** Clusters whose id starts so may use {@link #API_KEY_REF}. */
    public static final String API_KEY_CLUSTERS = "auth*,bound-*";
    /** A secret bound by label selector ({@link #LABELLED_SELECTOR}) rather than by id. */
    public static final String LABELLED_REF = "secret:labelled-key";
    public static final String LABELLED_KEY = "l4belled-k3y-value";
    public static final String LABELLED_SELECTOR = "team=blue,env in (prod,staging)";
    /** A secret that only clusters whose id starts with "redact-" may use: what redaction tests plant in answers. */
    public static final String REDACT_REF = "secret:redact-key";
    public static final String REDACT_KEY = "r3dact-me-0123456789";
    /** A secret read from a file of the secrets directory (a mounted Kubernetes Secret), for clusters "file-*". */
    public static final String FILE_REF = "secret:file-key";
    public static final String FILE_KEY = "f1le-s3cret-value";
    /** A variable clusters may set for their commands besides the simulator's. */
    public static final String ALLOWED_ENV = "STEPWISE_TEST_VISIBLE";

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
        // as an executor whose operator scripted no 2.x backup (PachydermHandlersTest); the system tests run the stand-in
        config.remove("stepwise.executor.pachyderm.v2-backup-command");
        config.put("stepwise.executor.secrets.\"weaviate-test-key\".value", API_KEY);
        config.put("stepwise.executor.secrets.\"weaviate-test-key\".clusters", API_KEY_CLUSTERS);
        config.put("stepwise.executor.secrets.\"labelled-key\".value", LABELLED_KEY);
        config.put("stepwise.executor.secrets.\"labelled-key\".selector", LABELLED_SELECTOR);
        config.put("stepwise.executor.secrets.\"redact-key\".value", REDACT_KEY);
        config.put("stepwise.executor.secrets.\"redact-key\".clusters", "redact-*");
        config.put("stepwise.executor.secrets.\"file-key\".clusters", "file-*");
        // bound, but with no value anywhere: the step fails saying so
        config.put("stepwise.executor.secrets.\"empty-key\".clusters", "auth*");
        config.put("stepwise.executor.secrets-directory", secretsDir().toString());
        config.put("stepwise.executor.command.allowed-env",
                config.get("stepwise.executor.command.allowed-env") + "," + ALLOWED_ENV);

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
                helm + " upgrade --namespace {namespace} --reuse-values --set image.tag={version} -- {release} weaviate/weaviate");
        return config;
    }

    /** A directory holding one secret file, as a mounted Kubernetes Secret would. */
    private static java.nio.file.Path secretsDir() {
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("stepwise-executor-test-secrets");
            java.nio.file.Files.writeString(dir.resolve("file-key"), FILE_KEY + "\n");
            return dir;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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
