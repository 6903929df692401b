package io.stepwise.planner.service;

import io.quarkus.logging.Log;
import io.stepwise.model.Product;
import io.stepwise.planner.audit.ChangeAudit;
import io.stepwise.planner.audit.ChangeAudit.Change;
import io.stepwise.planner.audit.ChangeAudit.Kind;
import io.stepwise.planner.config.PlannerConfig;
import io.stepwise.planner.domain.Cluster;
import io.stepwise.planner.domain.ConflictException;
import io.stepwise.planner.domain.FieldProblems;
import io.stepwise.planner.domain.InvalidInputException;
import io.stepwise.planner.domain.LabelSelector;
import io.stepwise.planner.domain.MaintenanceWindow;
import io.stepwise.planner.domain.NotFoundException;
import io.stepwise.planner.persistence.ClusterLeaseRepository;
import io.stepwise.planner.persistence.ClusterRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The cluster inventory: register, replace, look up, select by labels, remove. */
@ApplicationScoped
public class InventoryService {

    /** Clusters one {@link #putAll} takes at most (10,000 fit well within the 8 MB body limit). */
    static final int MAX_BATCH = 10_000;
    /** SQLSTATE of a duplicate key. */
    private static final String UNIQUE_VIOLATION = "23505";

    /** The actor of what a probe found: the executor read it from the cluster itself. */
    static final String PROBE = "probe";

    private final ClusterRepository clusters;
    private final ClusterLeaseRepository leases;
    private final ChangeAudit audit;
    private final PlannerConfig config;
    private final Event<ClustersRegistered> registrations;

    public InventoryService(ClusterRepository clusters, ClusterLeaseRepository leases, ChangeAudit audit,
                            PlannerConfig config, Event<ClustersRegistered> registrations) {
        this.registrations = registrations;
        this.clusters = clusters;
        this.leases = leases;
        this.audit = audit;
        this.config = config;
    }

    /** Registers a new cluster; an id already registered is a conflict. */
    @Transactional
    public Cluster register(Cluster cluster, String actor) {
        stamp(cluster);
        if (clusters.findById(cluster.id) != null) {
            throw alreadyRegistered(cluster.id);
        }
        registerNew(cluster, alreadyRegistered(cluster.id));
        audit.record(Kind.CLUSTER, actor, new Change(cluster.id, "cluster.registered", null, fields(cluster), null));
        registrations.fire(new ClustersRegistered(List.of(cluster), actor));
        return cluster;
    }

    /** What {@link #put} did: registered the cluster anew, or replaced what was registered under its id. */
    public record Put(Cluster cluster, boolean created) {
    }

    /**
     * Registers the cluster under this id, or replaces its registration: how an inventory kept elsewhere (a CMDB,
     * a Git repository) is kept in step, one idempotent request per cluster. A replacement keeps the registration's
     * {@code createdAt} and, when the request has no version, the version on record (the executor verifies each
     * hop and records it; the source of the inventory may not know it). Rollouts already started keep the
     * connection they were planned with.
     */
    @Transactional
    public Put put(Cluster wanted, String actor) {
        stamp(wanted);
        String id = wanted.id;
        Cluster registered = clusters.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (registered == null) {
            registerNew(wanted, new ConflictException("cluster " + id + " was registered by another request at"
                    + " the same moment: send the PUT again to replace that registration"));
            audit.record(Kind.CLUSTER, actor, new Change(id, "cluster.registered", null, fields(wanted), null));
            registrations.fire(new ClustersRegistered(List.of(wanted), actor));
            return new Put(wanted, true);
        }
        Map<String, Object> before = fields(registered);
        Cluster replaced = replace(registered, wanted);
        audit.record(Kind.CLUSTER, actor, new Change(id, "cluster.replaced", before, fields(replaced), null));
        Log.infof("Replaced the registration of cluster %s (%s %s, %s nodes)", id, replaced.product, replaced.version,
                replaced.nodes);
        return new Put(replaced, false);
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
    public BatchPut putAll(List<Cluster> wanted, String actor) {
        if (wanted == null || wanted.isEmpty()) {
            throw InvalidInputException.of("clusters", "give one cluster at least");
        }
        if (wanted.size() > MAX_BATCH) {
            throw InvalidInputException.of("clusters", wanted.size() + " clusters; at most " + MAX_BATCH
                    + " per request: send the rest in another");
        }
        wanted.forEach(InventoryService::stamp);
        // in id order, so that two batches sharing clusters take their locks in the same order
        Map<String, Cluster> registered = new HashMap<>();
        clusters.find("id in ?1 order by id", wanted.stream().map(c -> c.id).distinct().toList()).withLock(LockModeType.PESSIMISTIC_WRITE).list()
                .forEach(c -> registered.put(c.id, c));
        int created = 0;
        List<Change> changes = new ArrayList<>();
        List<Cluster> fresh = new ArrayList<>();
        for (Cluster cluster : wanted) {
            Cluster old = registered.get(cluster.id);
            if (old == null) {
                clusters.persist(cluster);
                changes.add(new Change(cluster.id, "cluster.registered", null, fields(cluster), null));
                fresh.add(cluster);
                created++;
            } else {
                Map<String, Object> before = fields(old);
                changes.add(new Change(cluster.id, "cluster.replaced", before, fields(replace(old, cluster)), null));
            }
        }
        flushNewRegistrations(new ConflictException("some of these clusters were registered by another request at the"
                + " same moment: send the batch again to replace those registrations"));
        audit.recordAll(Kind.CLUSTER, actor, changes);
        if (!fresh.isEmpty()) {
            this.registrations.fire(new ClustersRegistered(fresh, actor));
        }
        Log.infof("Registered %d clusters and replaced %d registrations", created, wanted.size() - created);
        return new BatchPut(created, wanted.size() - created);
    }

    /** The registration replaced by the wanted one, keeping its createdAt and, if none is wanted, its version. */
    private Cluster replace(Cluster registered, Cluster wanted) {
        wanted.createdAt = registered.createdAt;
        wanted.holdReason = registered.holdReason;
        wanted.heldBy = registered.heldBy;
        wanted.heldAt = registered.heldAt;
        if (wanted.version == null) {
            wanted.version = registered.version;
        }
        return clusters.getEntityManager().merge(wanted);
    }

    /** Registers a cluster no registration was found for (see {@link #flushNewRegistrations} for {@code ifTaken}). */
    private void registerNew(Cluster cluster, ConflictException ifTaken) {
        clusters.persist(cluster);
        flushNewRegistrations(ifTaken);
        Log.infof("Registered cluster %s (%s %s, %s nodes)", cluster.id, cluster.product, cluster.version,
                cluster.nodes);
    }

    /**
     * Writes the registrations persisted so far at once rather than at commit: a request registering the same id
     * at the same moment (both found none) then ends in this conflict, not in a failed commit answered with a 500.
     */
    private void flushNewRegistrations(ConflictException ifTaken) {
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

    private static ConflictException alreadyRegistered(String id) {
        return new ConflictException("cluster " + id + " is already registered: delete it first to register it"
                + " again, or PUT it to replace its registration");
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Cluster get(String id) {
        return require(id);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Page<Cluster> list(String selectorText, String productName, int page, int size) {
        FieldProblems problems = new FieldProblems();
        Paging.check(problems, page, size, config.api().maxPageSize());
        problems.throwIfAny();
        LabelSelector selector = LabelSelector.parse(selectorText);
        String product = productName == null ? null : ProductNames.require("product", productName).id();
        return new Page<>(clusters.findMatching(selector, product, page * size, size), page, size,
                clusters.countMatching(selector, product));
    }

    /** One page of the matching clusters with the rollout holding each, and the versions of all that match. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Fleet fleet(String selectorText, String productName, int page, int size) {
        Page<Cluster> listed = list(selectorText, productName, page, size);
        LabelSelector selector = LabelSelector.parse(selectorText);
        String product = productName == null ? null : ProductNames.require("product", productName).id();
        Map<String, String> rolloutOf = new HashMap<>();
        if (!listed.items().isEmpty()) {
            leases.holders(listed.items().stream().map(c -> c.id).toList())
                    .forEach(b -> rolloutOf.put(b.clusterId(), b.rolloutId()));
        }
        List<Fleet.VersionCount> versions = clusters.versionCounts(selector, product).stream()
                .map(row -> new Fleet.VersionCount((String) row[0], (String) row[1], ((Number) row[2]).longValue()))
                .toList();
        return new Fleet(listed, rolloutOf, versions);
    }

    /** Every registered cluster of a product that the selector matches, for planning. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Cluster> select(LabelSelector selector, Product product) {
        return clusters.findMatching(selector, product.id(), 0, Integer.MAX_VALUE);
    }

    /** Corrects registrations to what their clusters were found to run, in a transaction of their own. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void correctAll(List<ProbeFinding> findings, String why) {
        for (ProbeFinding f : findings) {
            Cluster cluster = clusters.findById(f.clusterId(), LockModeType.PESSIMISTIC_WRITE);
            if (cluster != null) {
                correct(cluster, f.version(), f.nodes(), why);
            }
        }
    }

    /**
     * Corrects a registration to what its cluster was found to run (a probe saw it), in the caller's transaction.
     */
    public void correct(Cluster cluster, String version, Integer nodes, String why) {
        Log.infof("Cluster %s runs %s on %s node(s), not %s on %s as registered: corrected (%s)", cluster.id, version,
                nodes, cluster.version, cluster.nodes, why);
        Map<String, Object> before = fields(cluster);
        cluster.version = version;
        cluster.nodes = nodes;
        cluster.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        audit.record(Kind.CLUSTER, PROBE, new Change(cluster.id, "cluster.corrected", before, fields(cluster), why));
    }

    /**
     * Puts a hold on the cluster: no rollout starts on it, and one running on it stops at its next safe point.
     * Placing it again replaces the reason.
     */
    @Transactional
    public Cluster hold(String id, String reason, String actor) {
        Cluster cluster = clusters.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (cluster == null) {
            throw new NotFoundException("no cluster '" + id + "' is registered");
        }
        Map<String, Object> before = holdOf(cluster);
        cluster.holdReason = reason;
        cluster.heldBy = actor;
        cluster.heldAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        audit.record(Kind.CLUSTER, actor, new Change(id, "cluster.held", before, holdOf(cluster), reason));
        return cluster;
    }

    /** Releases the cluster's hold; releasing a cluster not held changes nothing. */
    @Transactional
    public Cluster release(String id, String actor) {
        Cluster cluster = clusters.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (cluster == null) {
            throw new NotFoundException("no cluster '" + id + "' is registered");
        }
        Map<String, Object> before = holdOf(cluster);
        cluster.holdReason = null;
        cluster.heldBy = null;
        cluster.heldAt = null;
        audit.record(Kind.CLUSTER, actor, new Change(id, "cluster.released", before, holdOf(cluster), null));
        return cluster;
    }

    private static Map<String, Object> holdOf(Cluster c) {
        Map<String, Object> hold = new LinkedHashMap<>();
        hold.put("holdReason", c.holdReason);
        hold.put("heldBy", c.heldBy);
        return hold;
    }

    @Transactional
    public void delete(String id, String actor) {
        Cluster cluster = require(id);
        Map<String, Object> before = fields(cluster);
        clusters.delete(cluster);
        audit.record(Kind.CLUSTER, actor, new Change(id, "cluster.deleted", before, null, null));
        Log.infof("Removed cluster %s from the inventory", id);
    }

    /** What a registration says, as its audit entries compare it. */
    static Map<String, Object> fields(Cluster c) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("product", c.product);
        fields.put("version", c.version);
        fields.put("nodes", c.nodes);
        fields.put("deployment", c.deployment);
        fields.put("endpoint", c.endpoint);
        fields.put("namespace", c.namespace);
        fields.put("statefulSet", c.statefulSet);
        fields.put("helmRelease", c.helmRelease);
        fields.put("credentialsRef", c.credentialsRef);
        fields.put("postgresVersion", c.postgresVersion);
        fields.put("labels", new TreeMap<>(c.labels));
        fields.put("extra", new TreeMap<>(c.extra));
        fields.put("windows", c.windows == null ? List.of() : c.windows.stream().map(MaintenanceWindow::describe)
                .toList());
        return fields;
    }

    private Cluster require(String id) {
        Cluster cluster = id == null ? null : clusters.findById(id);
        if (cluster == null) {
            throw new NotFoundException("no cluster '" + id + "' is registered");
        }
        return cluster;
    }

    /** Stamps a registration with now, to the microsecond Postgres keeps: what a later read will show. */
    private static void stamp(Cluster cluster) {
        cluster.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        cluster.updatedAt = cluster.createdAt;
    }
}
