package io.stepwise.simulator;

import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.stepwise.simulator.core.SimulationContext;
import io.stepwise.simulator.core.SimulatorException;
import io.stepwise.simulator.core.Version;
import io.stepwise.simulator.fault.Fault;
import io.stepwise.simulator.fault.FaultInjector;
import io.stepwise.simulator.kubernetes.KubernetesSimulation;
import io.stepwise.simulator.ledger.Effect;
import io.stepwise.simulator.ledger.EffectType;
import io.stepwise.simulator.ledger.Ledger;
import io.stepwise.simulator.ledger.Violation;
import io.stepwise.simulator.pachyderm.PachdRoutes;
import io.stepwise.simulator.pachyderm.PachydermCluster;
import io.stepwise.simulator.weaviate.Deployment;
import io.stepwise.simulator.weaviate.WeaviateCluster;
import io.stepwise.simulator.weaviate.WeaviateRoutes;
import io.stepwise.simulator.weaviate.WeaviateSnapshot;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The fleet simulator: many simulated Weaviate and Pachyderm clusters, a simulated Kubernetes API,
 * an effects ledger and fault injection. Plain Java, no CDI, so any test can start one in-process:
 *
 * <pre>{@code
 * try (FleetSimulator sim = FleetSimulator.start(0, SimulatorSettings.instant())) {
 *     ClusterInfo c = sim.createCluster(ClusterSpec.weaviate("prod-1", "1.24.10", 3, "kubernetes"));
 *     // c.endpoint() serves /v1/meta, /v1/nodes, ...; c.kubernetesUrl() serves the StatefulSet
 * }
 * }</pre>
 *
 * The Quarkus application mounts the same routes on its own router ({@link #mount(Router)}).
 */
public final class FleetSimulator implements AutoCloseable {

    private static final Pattern CLUSTER_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final SimulatorSettings settings;
    private final SimulationContext context;
    private final Map<String, WeaviateCluster> weaviate = new ConcurrentHashMap<>();
    private final Map<String, PachydermCluster> pachyderm = new ConcurrentHashMap<>();
    private volatile KubernetesSimulation kubernetes;
    private volatile String baseUrl;
    private Vertx ownVertx;
    private HttpServer server;

    private FleetSimulator(SimulatorSettings settings, String baseUrl) {
        this.settings = settings;
        this.context = new SimulationContext(settings.clock(), new Ledger(settings.clock()),
                new FaultInjector(settings.seed()));
        this.baseUrl = baseUrl;
    }

    /** A simulator without its own HTTP server; serve it with {@link #mount(Router)}. */
    public static FleetSimulator create(SimulatorSettings settings, String baseUrl) {
        return new FleetSimulator(settings, baseUrl);
    }

    /** Starts a simulator with its own Vert.x HTTP server on {@code port} (0 picks a free port). */
    public static FleetSimulator start(int port, SimulatorSettings settings) {
        FleetSimulator simulator = new FleetSimulator(settings, null);
        simulator.ownVertx = Vertx.vertx();
        Router router = Router.router(simulator.ownVertx);
        simulator.mount(router);
        simulator.server = simulator.ownVertx.createHttpServer().requestHandler(router)
                .listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
        simulator.baseUrl = "http://127.0.0.1:" + simulator.server.actualPort();
        return simulator;
    }

    public static FleetSimulator start() {
        return start(0, SimulatorSettings.defaults());
    }

    /** Adds the Weaviate, pachd and admin routes to {@code router}. */
    public void mount(Router router) {
        router.route("/clusters/*").handler(BodyHandler.create());
        router.route("/admin/*").handler(BodyHandler.create());
        new WeaviateRoutes(weaviate::get, context).mount(router);
        new PachdRoutes(pachyderm::get, context.faults()).mount(router);
        new AdminRoutes(this).mount(router);
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** The base URL of one cluster: {@code {simulator}/clusters/{id}}. */
    public String endpoint(String clusterId) {
        return baseUrl + "/clusters/" + clusterId;
    }

    public SimulatorSettings settings() {
        return settings;
    }

    // ---------------------------------------------------------------- clusters

    public ClusterInfo createCluster(ClusterSpec spec) {
        return info(register(spec), baseUrl);
    }

    /** Creates a cluster; returns its id. Refuses bad specs with {@link IllegalArgumentException}. */
    String register(ClusterSpec spec) {
        if (spec.id() == null || !CLUSTER_ID.matcher(spec.id()).matches()) {
            throw new IllegalArgumentException("id must match [a-z0-9][a-z0-9-]{0,62}, got '" + spec.id() + "'");
        }
        if (!Version.isValid(spec.version())) {
            throw new IllegalArgumentException("version must look like 1.25.34, got '" + spec.version() + "'");
        }
        String product = spec.product() == null ? "weaviate" : spec.product().toLowerCase();
        Deployment deployment = Deployment.parse(spec.deployment());
        synchronized (this) {
            if (weaviate.containsKey(spec.id()) || pachyderm.containsKey(spec.id())) {
                throw new IllegalStateException("cluster " + spec.id() + " exists already");
            }
            switch (product) {
                case "weaviate" -> {
                    WeaviateCluster cluster = weaviateCluster(spec, deployment);
                    weaviate.put(spec.id(), cluster);
                    if (deployment.hasStatefulSet()) {
                        kubernetes().register(cluster);
                    }
                }
                case "pachyderm" -> pachyderm.put(spec.id(),
                        new PachydermCluster(spec.id(), Version.parse(spec.version()), spec.collections(), context));
                default -> throw new IllegalArgumentException("product must be weaviate or pachyderm, got '"
                        + spec.product() + "'");
            }
        }
        context.ledger().effect(spec.id(), EffectType.CLUSTER_CREATED, null,
                Map.of("product", product, "version", spec.version(), "deployment", deployment.id()));
        return spec.id();
    }

    private WeaviateCluster weaviateCluster(ClusterSpec spec, Deployment deployment) {
        Durations d = spec.durations() != null ? spec.durations() : settings.durations();
        return new WeaviateCluster(spec.id(), Version.parse(spec.version()), spec.nodes() == null ? 1 : spec.nodes(),
                spec.collections(), spec.apiKey(), deployment,
                spec.namespace() != null ? spec.namespace() : settings.namespace(),
                spec.statefulSet() != null ? spec.statefulSet() : spec.id(),
                new WeaviateCluster.Timing(d.backup(), d.nodeRestart(), d.sync()), context);
    }

    public List<ClusterInfo> clusters() {
        return clusters(baseUrl);
    }

    List<ClusterInfo> clusters(String base) {
        List<ClusterInfo> all = new ArrayList<>();
        weaviate.keySet().stream().sorted().forEach(id -> all.add(info(id, base)));
        pachyderm.keySet().stream().sorted().forEach(id -> all.add(info(id, base)));
        return all;
    }

    ClusterInfo info(String id, String base) {
        String endpoint = base + "/clusters/" + id;
        WeaviateCluster w = weaviate.get(id);
        if (w != null) {
            boolean k8s = w.deployment().hasStatefulSet();
            return new ClusterInfo(id, "weaviate", w.targetVersion().toString(), w.nodeCount(), w.deployment().id(),
                    endpoint, k8s ? w.namespace() : null, k8s ? w.statefulSetName() : null,
                    k8s ? w.statefulSetName() : null, k8s ? kubernetes().url() : null);
        }
        PachydermCluster p = pachyderm.get(id);
        if (p != null) {
            return new ClusterInfo(id, "pachyderm", p.serverVersion().toString(), 1, "command", endpoint,
                    null, null, id, null);
        }
        throw new SimulatorException(404, "no simulated cluster " + id);
    }

    /** The live Weaviate cluster (for the Java API and routes); null when there is none. */
    public WeaviateCluster weaviateCluster(String id) {
        return weaviate.get(id);
    }

    /** The state of a Weaviate cluster now: versions and status per node, collections, sync, backups. */
    public WeaviateSnapshot weaviate(String id) {
        WeaviateCluster cluster = weaviate.get(id);
        if (cluster == null) {
            throw new SimulatorException(404, "no simulated Weaviate cluster " + id);
        }
        return cluster.snapshot();
    }

    /**
     * {@code objects} objects of a Weaviate collection, or commits of a Pachyderm repo, vanish (a lost write, for
     * tests); answers how many are left.
     */
    public long loseObjects(String clusterId, String collection, long objects, String stepId) {
        WeaviateCluster cluster = weaviate.get(clusterId);
        if (cluster != null) {
            return cluster.loseObjects(collection, objects, stepId);
        }
        return pachyderm(clusterId).loseCommits(collection, objects, stepId);
    }

    public PachydermCluster pachyderm(String id) {
        PachydermCluster cluster = pachyderm.get(id);
        if (cluster == null) {
            throw new SimulatorException(404, "no simulated Pachyderm cluster " + id);
        }
        return cluster;
    }

    /**
     * Changes a cluster's version the way its deployment does: a new image tag on the StatefulSet
     * (kubernetes, command; re-creates it when it was deleted, as helm would), a restart (docker), or
     * a helm upgrade of pachd (Pachyderm 2.x).
     */
    public void setVersion(String clusterId, String version, String stepId) {
        Version v = Version.parse(version);
        WeaviateCluster w = weaviate.get(clusterId);
        if (w != null) {
            if (w.deployment().hasStatefulSet()) {
                kubernetes().setImage(w, v, stepId);
            } else {
                w.changeVersion(v, stepId);
            }
            return;
        }
        pachyderm(clusterId).helmUpgrade(v, stepId);
    }

    // ---------------------------------------------------------------- ledger and faults

    public List<Effect> effects() {
        return context.ledger().effects(null);
    }

    public List<Effect> effects(String clusterId) {
        return context.ledger().effects(clusterId);
    }

    public List<Violation> violations() {
        return context.ledger().violations(null);
    }

    public List<Violation> violations(String clusterId) {
        return context.ledger().violations(clusterId);
    }

    public Fault injectFault(Fault fault) {
        if (fault.clusterId() != null && !weaviate.containsKey(fault.clusterId())
                && !pachyderm.containsKey(fault.clusterId())) {
            throw new SimulatorException(404, "no simulated cluster " + fault.clusterId());
        }
        return context.faults().inject(fault);
    }

    public List<Fault> faults() {
        return context.faults().faults();
    }

    public void clearFaults() {
        context.faults().clear();
    }

    // ---------------------------------------------------------------- Kubernetes and commands

    /** The simulated Kubernetes API server, started on first use. */
    public synchronized KubernetesSimulation kubernetes() {
        if (kubernetes == null) {
            if (!settings.kubernetes()) {
                throw new IllegalStateException("the Kubernetes simulation is switched off in the settings");
            }
            kubernetes = new KubernetesSimulation(settings.tickInterval(), settings.clock(), context.faults());
        }
        return kubernetes;
    }

    /** URL of the simulated Kubernetes API server, for a fabric8 client. */
    public String kubernetesUrl() {
        return kubernetes().url();
    }

    public NamespacedKubernetesClient kubernetesClient() {
        return kubernetes().client();
    }

    /** A {@code pachctl} executable that talks to this simulator (see {@link #commandEnvironment}). */
    public Path pachctlCommand() {
        return Commands.launcher("pachctl", "io.stepwise.simulator.pachyderm.PachctlCli");
    }

    /** A {@code helm} stand-in that sets the image tag of a release on this simulator. */
    public Path helmCommand() {
        return Commands.launcher("helm-sim", "io.stepwise.simulator.admin.HelmSimCli");
    }

    /**
     * The body of the planner's {@code POST /api/v1/clusters} (or an entry of {@code /clusters/batch}) that
     * registers a simulated cluster as an operator would: where it is, how it is deployed, and (in
     * {@code extra}) where its command stand-ins find this simulator.
     */
    public Map<String, Object> registration(ClusterInfo c, Map<String, String> labels) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", c.id());
        body.put("product", c.product());
        body.put("version", c.version());
        body.put("nodes", c.nodes());
        body.put("deployment", c.deployment());
        body.put("endpoint", c.endpoint());
        body.put("namespace", c.namespace());
        body.put("statefulSet", c.statefulSet());
        body.put("helmRelease", c.helmRelease());
        body.put("labels", labels);
        body.put("extra", Map.of("env.STEPWISE_SIMULATOR_URL", baseUrl));
        return body;
    }

    /**
     * The settings that point a Stepwise executor at this simulated fleet: its Kubernetes API, the pachctl and helm
     * stand-ins, and the Docker version change and Pachyderm 2.x backup through the admin API (run by curl, as a
     * compose command or an operator's script would be). They also open to it what the simulated fleet needs and a
     * real executor refuses by default: plain http on this machine (the simulator serves 127.0.0.1), the namespace of
     * the simulated StatefulSets, and the one variable the command stand-ins read from a cluster's registration
     * ({@code env.STEPWISE_SIMULATOR_URL}).
     *
     * <p>The token stands for the service account a real executor has (the simulated API server accepts any): without
     * one, fabric8 re-reads its whole configuration before every request, a cost no real deployment pays.
     */
    public Map<String, String> executorSettings() {
        String pachctl = pachctlCommand().toString();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("quarkus.kubernetes-client.api-server-url", kubernetesUrl());
        settings.put("quarkus.kubernetes-client.trust-certs", "true");
        settings.put("quarkus.kubernetes-client.token", KubernetesSimulation.EXECUTOR_TOKEN);
        settings.put("quarkus.kubernetes-client.namespace", this.settings.namespace());
        settings.put("stepwise.executor.pachyderm.command", pachctl);
        settings.put("stepwise.executor.pachyderm.versioned-command", "env PACHCTL_VERSION={version} " + pachctl);
        settings.put("stepwise.executor.actuator.docker.set-version", "curl -fsS -X POST -H Content-Type:application/json"
                + " -H X-Stepwise-Step-Id:{stepId} -d '{\"version\":\"{version}\"}' "
                + baseUrl + "/admin/clusters/{clusterId}/version");
        // simulated Pachyderm releases have no namespace, and helm-sim needs none
        settings.put("stepwise.executor.pachyderm.helm-upgrade", helmCommand() + " upgrade {release} pach/pachyderm"
                + " --reuse-values --set pachd.image.tag={version} --wait");
        settings.put("stepwise.executor.pachyderm.v2-backup-command", "curl -fsS -X POST -H X-Stepwise-Step-Id:{stepId}"
                + " -o {file} " + baseUrl + "/admin/clusters/{clusterId}/backup");
        settings.put("stepwise.executor.allowed-endpoints", "127.0.0.1,localhost");
        settings.put("stepwise.executor.kubernetes.namespaces", this.settings.namespace());
        settings.put("stepwise.executor.command.allowed-env", "STEPWISE_SIMULATOR_URL");
        return settings;
    }

    /** Environment for {@link #pachctlCommand()} and {@link #helmCommand()} aimed at one cluster. */
    public Map<String, String> commandEnvironment(String clusterId) {
        return Map.of("STEPWISE_SIMULATOR_URL", baseUrl, "STEPWISE_CLUSTER_ID", clusterId,
                "PACHD_ADDRESS", endpoint(clusterId));
    }

    @Override
    public void close() {
        if (kubernetes != null) {
            kubernetes.close();
        }
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().join();
        }
        if (ownVertx != null) {
            ownVertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
