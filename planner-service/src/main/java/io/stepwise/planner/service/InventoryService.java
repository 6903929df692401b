package io.stepwise.planner.service;

import io.quarkus.logging.Log;
import io.stepwise.model.DeploymentKind;
import io.stepwise.model.Product;
import io.stepwise.planner.catalog.Versions;
import io.stepwise.planner.config.PlannerConfig;
import io.stepwise.planner.domain.Cluster;
import io.stepwise.planner.domain.LabelSelector;
import io.stepwise.planner.persistence.ClusterRepository;
import io.stepwise.planner.rest.ClusterRequest;
import io.stepwise.planner.rest.ClusterView;
import io.stepwise.planner.rest.PageView;
import io.stepwise.planner.rest.problem.FieldErrors;
import io.stepwise.planner.rest.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The cluster inventory: register, replace, look up, select by labels, remove. */
@ApplicationScoped
public class InventoryService {

    public static final Pattern CLUSTER_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /** Where the executor finds a secret: an environment variable or one of its configuration keys. */
    public static final Pattern CREDENTIALS_REF = Pattern.compile("env:[A-Za-z_][A-Za-z0-9_]*|config:[A-Za-z0-9._-]+");
    private static final int MAX_NODES = 1000;
    /** Clusters one {@link #putAll} takes at most (10,000 fit well within the 8 MB body limit). */
    static final int MAX_BATCH = 10_000;
    /** SQLSTATE of a duplicate key. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final ClusterRepository clusters;
    private final PlannerConfig config;

    public InventoryService(ClusterRepository clusters, PlannerConfig config) {
        this.clusters = clusters;
        this.config = config;
    }

    @Transactional
    public ClusterView register(ClusterRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("body", "a cluster is required");
        }
        Cluster cluster = validated(request);
        if (clusters.findById(cluster.id) != null) {
            throw alreadyRegistered(cluster.id);
        }
        registerNew(cluster, alreadyRegistered(cluster.id));
        return ClusterView.of(cluster);
    }

    /** What {@link #put} did: registered the cluster anew, or replaced what was registered under its id. */
    public record Put(ClusterView cluster, boolean created) {
    }

    /**
     * Registers the cluster under this id, or replaces its registration: how an inventory kept elsewhere (a CMDB,
     * a Git repository) is kept in step, one idempotent request per cluster. A replacement keeps the registration's
     * {@code createdAt} and, when the request has no version, the version on record (the executor verifies each
     * hop and records it; the source of the inventory may not know it). Rollouts already started keep the
     * connection they were planned with.
     */
    @Transactional
    public Put put(String id, ClusterRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("body", "a cluster is required");
        }
        if (request.id() != null && !request.id().equals(id)) {
            throw ProblemException.badRequest("id", "'" + request.id() + "' is not the id in the path, '" + id
                    + "': leave it out or make them the same");
        }
        Cluster wanted = validated(request.withId(id));
        Cluster registered = clusters.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (registered == null) {
            registerNew(wanted, ProblemException.conflict("cluster " + id + " was registered by another request at"
                    + " the same moment: send the PUT again to replace that registration"));
            return new Put(ClusterView.of(wanted), true);
        }
        Cluster replaced = replace(registered, wanted);
        Log.infof("Replaced the registration of cluster %s (%s %s, %s nodes)", id, replaced.product, replaced.version,
                replaced.nodes);
        return new Put(ClusterView.of(replaced), false);
    }

    /** What {@link #putAll} did. */
    public record BatchPut(int created, int replaced) {
    }

    /**
     * {@link #put} for many clusters in one transaction, all or none: every problem of every cluster is named
     * ({@code clusters[3].version}) and then nothing changes. What a sync of a large inventory sends: 10,000
     * clusters one request each take about a minute.
     */
    @Transactional
    public BatchPut putAll(List<ClusterRequest> requests) {
        if (requests == null || requests.isEmpty()) {
            throw ProblemException.badRequest("clusters", "give one cluster at least");
        }
        if (requests.size() > MAX_BATCH) {
            throw ProblemException.badRequest("clusters", requests.size() + " clusters; at most " + MAX_BATCH
                    + " per request: send the rest in another");
        }
        FieldErrors errors = new FieldErrors();
        Map<String, Integer> positions = new HashMap<>();
        List<Cluster> wanted = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i) == null) {
                errors.add("clusters[" + i + "]", "a cluster is required");
                continue;
            }
            FieldErrors at = errors.under("clusters[" + i + "]");
            Cluster cluster = validated(requests.get(i), at);
            if (cluster == null) {
                continue;
            }
            Integer first = positions.putIfAbsent(cluster.id, i);
            if (first != null) {
                at.add("id", "'" + cluster.id + "' is also clusters[" + first + "]: give each cluster once");
            } else {
                wanted.add(cluster);
            }
        }
        errors.throwIfAny();
        // in id order, so that two batches sharing clusters take their locks in the same order
        Map<String, Cluster> registered = new HashMap<>();
        clusters.find("id in ?1 order by id", positions.keySet()).withLock(LockModeType.PESSIMISTIC_WRITE).list()
                .forEach(c -> registered.put(c.id, c));
        int created = 0;
        for (Cluster cluster : wanted) {
            Cluster old = registered.get(cluster.id);
            if (old == null) {
                clusters.persist(cluster);
                created++;
            } else {
                replace(old, cluster);
            }
        }
        flushNewRegistrations(ProblemException.conflict("some of these clusters were registered by another request at the"
                + " same moment: send the batch again to replace those registrations"));
        Log.infof("Registered %d clusters and replaced %d registrations", created, wanted.size() - created);
        return new BatchPut(created, wanted.size() - created);
    }

    /** The registration replaced by the wanted one, keeping its createdAt and, if none is wanted, its version. */
    private Cluster replace(Cluster registered, Cluster wanted) {
        wanted.createdAt = registered.createdAt;
        if (wanted.version == null) {
            wanted.version = registered.version;
        }
        return clusters.getEntityManager().merge(wanted);
    }

    /** Registers a cluster no registration was found for (see {@link #flushNewRegistrations} for {@code ifTaken}). */
    private void registerNew(Cluster cluster, ProblemException ifTaken) {
        clusters.persist(cluster);
        flushNewRegistrations(ifTaken);
        Log.infof("Registered cluster %s (%s %s, %s nodes)", cluster.id, cluster.product, cluster.version,
                cluster.nodes);
    }

    /**
     * Writes the registrations persisted so far at once rather than at commit: a request registering the same id
     * at the same moment (both found none) then ends in this conflict, not in a failed commit answered with a 500.
     */
    private void flushNewRegistrations(ProblemException ifTaken) {
        try {
            clusters.flush();
        } catch (PersistenceException e) {
            if (isUniqueViolation(e)) {
                throw ifTaken;
            }
            throw e;
        }
    }

    private static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static ProblemException alreadyRegistered(String id) {
        return ProblemException.conflict("cluster " + id + " is already registered: delete it first to register it"
                + " again, or PUT it to replace its registration");
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public ClusterView get(String id) {
        return ClusterView.of(require(id));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public PageView<ClusterView> list(String selectorText, String productName, int page, int size) {
        FieldErrors errors = new FieldErrors();
        if (page < 0) {
            errors.add("page", "must be 0 or more");
        }
        if (size < 1 || size > config.api().maxPageSize()) {
            errors.add("size", "must be between 1 and " + config.api().maxPageSize());
        }
        errors.throwIfAny();
        LabelSelector selector = LabelSelector.parse(selectorText);
        String product = productName == null ? null : ProductNames.require("product", productName).id();
        List<ClusterView> items = clusters.findMatching(selector, product, page * size, size).stream()
                .map(ClusterView::of).toList();
        return new PageView<>(items, page, size, clusters.countMatching(selector, product));
    }

    /** Every registered cluster of a product that the selector matches, for planning. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Cluster> select(LabelSelector selector, Product product) {
        return clusters.findMatching(selector, product.id(), 0, Integer.MAX_VALUE);
    }

    @Transactional
    public void delete(String id) {
        clusters.delete(require(id));
        Log.infof("Removed cluster %s from the inventory", id);
    }

    private Cluster require(String id) {
        Cluster cluster = id == null ? null : clusters.findById(id);
        if (cluster == null) {
            throw ProblemException.notFound("no cluster '" + id + "' is registered");
        }
        return cluster;
    }

    private static Cluster validated(ClusterRequest r) {
        FieldErrors errors = new FieldErrors();
        Cluster cluster = validated(r, errors);
        errors.throwIfAny();
        return cluster;
    }

    /** The cluster the request describes, or null when it has problems (added to {@code errors}). */
    private static Cluster validated(ClusterRequest r, FieldErrors errors) {
        int before = errors.count();
        if (r.id() == null || !CLUSTER_ID.matcher(r.id()).matches()) {
            errors.add("id", r.id() == null ? "required" : "'" + r.id() + "' must be 1–63 lower-case letters,"
                    + " digits or '-', starting with a letter or digit");
        }
        Product product = null;
        if (r.product() == null || Product.fromId(r.product()).isEmpty()) {
            errors.add("product", (r.product() == null ? "required" : "unknown product '" + r.product() + "'")
                    + "; one of " + String.join(", ", Product.ids()));
        } else {
            product = Product.fromId(r.product()).get();
        }
        if (r.version() != null && Versions.parse(r.version()).isEmpty()) {
            errors.add("version", "'" + r.version() + "' is not a version like 1.24.10");
        }
        if (r.nodes() != null && (r.nodes() < 1 || r.nodes() > MAX_NODES)) {
            errors.add("nodes", "must be between 1 and " + MAX_NODES);
        }
        DeploymentKind deployment = DeploymentKind.KUBERNETES;
        if (r.deployment() != null) {
            deployment = DeploymentKind.fromId(r.deployment()).orElse(null);
            if (deployment == null) {
                errors.add("deployment", "unknown deployment '" + r.deployment() + "'; one of kubernetes, docker, command");
            }
        }
        if (r.endpoint() != null && !isHttpUrl(r.endpoint())) {
            errors.add("endpoint", "'" + r.endpoint() + "' is not an http(s) URL");
        }
        if (r.credentialsRef() != null && !CREDENTIALS_REF.matcher(r.credentialsRef()).matches()) {
            errors.add("credentialsRef", "must name where the executor finds the secret, not hold it:"
                    + " env:VAR_NAME or config:some.key");
        }
        checkLength(errors, "namespace", r.namespace(), 253);
        checkLength(errors, "statefulSet", r.statefulSet(), 253);
        checkLength(errors, "helmRelease", r.helmRelease(), 253);
        checkLength(errors, "postgresVersion", r.postgresVersion(), 32);
        Map<String, String> labels = r.labels() == null ? Map.of() : r.labels();
        labels.forEach((key, value) -> {
            if (key == null || !LabelSelector.KEY.matcher(key).matches()) {
                errors.add("labels", "'" + key + "' is not a valid label key");
            } else if (value == null || !LabelSelector.VALUE.matcher(value).matches()) {
                errors.add("labels." + key, "'" + value + "' is not a valid label value (up to 63 letters,"
                        + " digits, '-', '_', '.')");
            }
        });
        Map<String, String> extra = r.extra() == null ? Map.of() : r.extra();
        extra.forEach((key, value) -> {
            if (key == null || key.isBlank() || key.length() > 200 || value == null || value.length() > 2000) {
                errors.add("extra", "keys must be 1–200 characters and values at most 2000");
            } else if (key.toLowerCase().matches(".*(password|secret|token|apikey|api-key|api_key).*")) {
                errors.add("extra." + key, "looks like a secret: put it where the executor can read it and name it"
                        + " in credentialsRef instead");
            }
        });
        if (errors.count() > before) {
            return null;
        }

        Cluster cluster = new Cluster();
        cluster.id = r.id();
        cluster.product = product.id();
        cluster.version = r.version() == null ? null : Versions.parse(r.version()).get().getVersion();
        cluster.nodes = r.nodes();
        cluster.deployment = deployment.id();
        cluster.endpoint = r.endpoint();
        cluster.namespace = r.namespace();
        cluster.statefulSet = r.statefulSet();
        cluster.helmRelease = r.helmRelease();
        cluster.credentialsRef = r.credentialsRef();
        cluster.postgresVersion = r.postgresVersion();
        cluster.labels = new HashMap<>(labels);
        cluster.extra = new HashMap<>(extra);
        // Postgres keeps microseconds: answer what a later read will show
        cluster.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        cluster.updatedAt = cluster.createdAt;
        return cluster;
    }

    private static void checkLength(FieldErrors errors, String field, String value, int max) {
        if (value != null && value.length() > max) {
            errors.add(field, "longer than " + max + " characters");
        }
    }

    private static boolean isHttpUrl(String text) {
        try {
            URI uri = URI.create(text);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
