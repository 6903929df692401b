package io.stepwise.planner.service;

import io.quarkus.logging.Log;
import io.stepwise.model.ClusterPlanState;
import io.stepwise.model.ProbeResult;
import io.stepwise.model.Product;
import io.stepwise.model.RefusalCode;
import io.stepwise.model.RolloutState;
import io.stepwise.planner.audit.AuditTrail;
import io.stepwise.planner.config.OrchestrationConfig;
import io.stepwise.planner.config.PlannerConfig;
import io.stepwise.planner.domain.AuditEntry;
import io.stepwise.planner.domain.AuditVerification;
import io.stepwise.planner.domain.Cluster;
import io.stepwise.planner.domain.ClusterTally;
import io.stepwise.planner.domain.FieldProblems;
import io.stepwise.planner.domain.Gate;
import io.stepwise.planner.domain.IdempotencyKeyReusedException;
import io.stepwise.planner.domain.InvalidInputException;
import io.stepwise.planner.domain.LabelSelector;
import io.stepwise.planner.domain.NotFoundException;
import io.stepwise.planner.domain.Rollout;
import io.stepwise.planner.domain.RolloutCluster;
import io.stepwise.planner.domain.RolloutStep;
import io.stepwise.planner.domain.Wave;
import io.stepwise.planner.lifecycle.NewRollout;
import io.stepwise.planner.lifecycle.NewRollout.PlannedCluster;
import io.stepwise.planner.lifecycle.RolloutLifecycle;
import io.stepwise.planner.persistence.ClusterProbeRepository;
import io.stepwise.planner.persistence.ClusterRepository;
import io.stepwise.planner.persistence.RolloutClusterRepository;
import io.stepwise.planner.persistence.RolloutRepository;
import io.stepwise.planner.persistence.RolloutStepRepository;
import io.stepwise.planner.rules.PlanOutcome;
import io.stepwise.planner.rules.Refusal;
import io.stepwise.planner.rules.TargetVersion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Rollouts as people use them: the commands (start, pause, resume, cancel, approve, retry), each one transaction
 * that hands the change to {@link RolloutLifecycle}, and the queries that read rollouts back.
 */
@ApplicationScoped
public class RolloutService {

    /** A started rollout, and whether it was started now or found by its idempotency key. */
    public record Created(String rolloutId, boolean replayed) {
    }

    private final RolloutRepository rollouts;
    private final RolloutClusterRepository rolloutClusters;
    private final RolloutStepRepository steps;
    private final ClusterRepository inventory;
    private final ClusterProbeRepository probes;
    private final InventoryService registrations;
    private final PlanningService planning;
    private final RecoveryService recoveries;
    private final RolloutLifecycle lifecycle;
    private final AuditTrail audit;
    private final OrchestrationConfig config;
    private final PlannerConfig plannerConfig;
    private final Clock clock;

    public RolloutService(RolloutRepository rollouts, RolloutClusterRepository rolloutClusters,
                          RolloutStepRepository steps, ClusterRepository inventory, ClusterProbeRepository probes,
                          InventoryService registrations, PlanningService planning, RecoveryService recoveries,
                          RolloutLifecycle lifecycle, AuditTrail audit, OrchestrationConfig config,
                          PlannerConfig plannerConfig, Clock clock) {
        this.rollouts = rollouts;
        this.rolloutClusters = rolloutClusters;
        this.steps = steps;
        this.inventory = inventory;
        this.probes = probes;
        this.registrations = registrations;
        this.planning = planning;
        this.recoveries = recoveries;
        this.lifecycle = lifecycle;
        this.audit = audit;
        this.config = config;
        this.plannerConfig = plannerConfig;
        this.clock = clock;
    }

    /**
     * Plans every selected cluster and starts the rollout, in one transaction: the rollout, its plans, the first
     * dispatches and their outbox rows exist together or not at all. {@code requestHash} identifies the request for
     * its idempotency key: the same key with another request is refused.
     */
    @Transactional
    public Created create(StartRollout request, String idempotencyKey, String requestHash, String actor) {
        if (idempotencyKey != null) {
            Rollout existing = rollouts.find("idempotencyKey", idempotencyKey).firstResult();
            if (existing != null) {
                if (!existing.requestHash.equals(requestHash)) {
                    throw new IdempotencyKeyReusedException("Idempotency-Key '" + idempotencyKey + "' was used for a"
                            + " different request (rollout " + existing.id + "): use a new key");
                }
                return new Created(existing.id, true);
            }
        }
        int maxParallel = limit("strategy.maxParallel", request.maxParallel(), config.defaultMaxParallel());
        int maxFailed = limit("strategy.failurePolicy.maxFailedClusters", request.maxFailedClusters(),
                config.defaultMaxFailedClusters());
        List<Cluster> selected = select(request);
        WaveAssignment waves = WaveAssignment.of(request.waves(), selected);
        List<Gate> gates = WaveAssignment.gates(request.gates(), waves.waves());
        if (request.followSelector() && (request.selector() == null || request.selector().isBlank())) {
            throw InvalidInputException.of("followSelector", "follows a selector: give one instead of clusterIds");
        }
        Instant startAt = startAt(request.startAt());
        if (startAt != null && request.recoveryOf() != null) {
            throw InvalidInputException.of("startAt", "a recovery starts now: leave startAt out");
        }

        String id = UUID.randomUUID().toString();
        // wave by wave; within a wave, in selection order (the sort is stable)
        List<Cluster> ordered = new ArrayList<>(selected);
        ordered.sort(Comparator.comparing(c -> waves.waveOf().get(c.id)));
        // a recovery is planned as its preview was, from the inventory (its first step's pre-flight checks the version)
        boolean probe = request.recoveryOf() == null
                && (request.probe() != null ? request.probe() : config.probeClusters());
        List<Cluster> toPlan = ordered.stream().filter(c -> c.holdReason == null).toList();
        List<PlanOutcome> outcomes = request.recoveryOf() != null ? recoveries.plan(request, toPlan, id)
                : probe || startAt != null ? null : planning.plan(toPlan.stream().map(PreviewService::facts).toList(),
                        request.product(), request.target(), id);
        List<PlannedCluster> planned = new ArrayList<>();
        for (Cluster cluster : ordered) {
            PlanOutcome outcome = cluster.holdReason != null ? new Refusal(cluster.id, RefusalCode.HELD, "held by "
                    + cluster.heldBy + ": " + cluster.holdReason) : outcomes == null ? null
                    : outcomes.get(toPlan.indexOf(cluster));
            planned.add(new PlannedCluster(cluster, waves.waveOf().get(cluster.id), outcome));
        }
        NewRollout rollout = new NewRollout(id, request.product(), request.target().text(), request.selector(),
                maxParallel, maxFailed, waves.waves(), idempotencyKey, requestHash, actor, request.skipBusyClusters(),
                planned, startAt, gates, request.followSelector(), request.strategyName(), probe);
        if (startAt != null) {
            lifecycle.createScheduled(rollout);
        } else if (probe) {
            lifecycle.createProbing(rollout);
        } else {
            lifecycle.create(rollout);
        }
        Log.infof("Rollout %s: %s to %s over %d clusters (max %d at once)", id, request.product().id(),
                request.target().text(), ordered.size(), maxParallel);
        return new Created(id, false);
    }

    /**
     * Plans a pending rollout's clusters from what their probes found and starts it: a difference from the inventory
     * corrects it; a cluster whose probe failed, or did not answer (when the probes' time is up), is refused. Does
     * nothing to a rollout no longer pending.
     */
    @Transactional
    public void startProbed(String id) {
        Rollout rollout = rollouts.findById(id);
        if (rollout == null || rollout.state != RolloutState.PENDING) {
            return;
        }
        Product product = Product.fromId(rollout.product).orElseThrow();
        List<RolloutCluster> waiting = rolloutClusters.inState(id, ClusterPlanState.WAITING);
        Map<String, ProbeResult> results = probes.find(waiting.stream()
                .map(c -> RolloutLifecycle.probeId(id, c.clusterId())).toList());
        List<PlannedCluster> planned = new ArrayList<>();
        List<Cluster> toPlan = new ArrayList<>();
        List<RolloutCluster> toPlanAs = new ArrayList<>();
        Map<String, String> found = new HashMap<>();
        for (RolloutCluster rc : waiting) {
            Cluster registered = inventory.findById(rc.clusterId());
            if (registered == null) {
                Cluster gone = new Cluster();
                gone.id = rc.clusterId();
                planned.add(new PlannedCluster(gone, rc.wave, new Refusal(rc.clusterId(),
                        RefusalCode.PRECONDITION_FAILED, "not planned: it is no longer registered")));
                continue;
            }
            if (!rollout.probe) {
                toPlan.add(registered);
                toPlanAs.add(rc);
                continue;
            }
            ProbeFinding finding = ProbeFinding.of(registered, results.get(RolloutLifecycle.probeId(id,
                    rc.clusterId())));
            if (finding.problem() != null) {
                planned.add(new PlannedCluster(registered, rc.wave, finding.refusal()));
                continue;
            }
            if (finding.differs()) {
                found.put(rc.clusterId(), finding.describe());
                registrations.correct(registered, finding.version(), finding.nodes(), "probed for rollout " + id);
            }
            toPlan.add(registered);
            toPlanAs.add(rc);
        }
        List<PlanOutcome> outcomes = planning.plan(toPlan.stream().map(PreviewService::facts).toList(), product,
                TargetVersion.parse(rollout.targetVersion).orElseThrow(), id);
        for (int i = 0; i < toPlan.size(); i++) {
            planned.add(new PlannedCluster(toPlan.get(i), toPlanAs.get(i).wave, outcomes.get(i)));
        }
        lifecycle.startProbed(id, planned, found, RolloutLifecycle.PLANNER);
    }

    /**
     * Starts the scheduled rollouts whose time has come, each in its own transaction: probing first, or planned at
     * once from the inventory. Answers how many started.
     */
    public int startDue() {
        int started = 0;
        for (String id : QuarkusTransaction.requiringNew().call(lifecycle::scheduledDue)) {
            boolean probe = QuarkusTransaction.requiringNew().call(() -> {
                Rollout rollout = rollouts.findById(id);
                return rollout != null && rollout.probe && lifecycle.beginScheduled(id, true);
            });
            if (!probe && QuarkusTransaction.requiringNew().call(() -> lifecycle.beginScheduled(id, false))) {
                QuarkusTransaction.requiringNew().run(() -> startProbed(id));
            }
            started++;
        }
        return started;
    }

    /** The earliest acceptable start: now or later, within a year; null for now. */
    private Instant startAt(Instant asked) {
        if (asked == null) {
            return null;
        }
        Instant now = clock.instant();
        if (asked.isBefore(now.minus(Duration.ofMinutes(1)))) {
            throw InvalidInputException.of("startAt", asked + " is in the past (now " + now + "); leave startAt out"
                    + " to start now");
        }
        if (asked.isAfter(now.plus(Duration.ofDays(366)))) {
            throw InvalidInputException.of("startAt", asked + " is more than a year ahead");
        }
        return asked.isAfter(now) ? asked.truncatedTo(ChronoUnit.MICROS) : null;
    }

    /**
     * Clusters registered in the inventory join the unfinished rollouts that follow their selector, in the
     * registration's transaction: a rollout running or paused plans them from what the registration says (the
     * executor's pre-flight checks it before the first change).
     */
    void onRegistered(@Observes ClustersRegistered registered) {
        Map<String, List<Rollout>> following = new HashMap<>();
        for (Cluster cluster : registered.clusters()) {
            for (Rollout rollout : following.computeIfAbsent(cluster.product, lifecycle::following)) {
                if (rollout.selector == null || !LabelSelector.parse(rollout.selector).matches(cluster.labels)) {
                    continue;
                }
                PlanOutcome outcome = null;
                if (rollout.state == RolloutState.RUNNING || rollout.state == RolloutState.PAUSED) {
                    outcome = planning.plan(List.of(PreviewService.facts(cluster)),
                            Product.fromId(rollout.product).orElseThrow(),
                            TargetVersion.parse(rollout.targetVersion).orElseThrow(), rollout.id).get(0);
                }
                lifecycle.join(rollout.id, cluster, outcome, registered.actor());
            }
        }
    }

    /** Starts the rollouts pending for longer than {@code timeout}, skipping the clusters that did not answer. */
    @Transactional
    public int startOverdueProbes(Duration timeout) {
        List<String> overdue = lifecycle.pendingLongerThan(timeout);
        overdue.forEach(this::startProbed);
        return overdue.size();
    }

    @Transactional
    public void pause(String id, String actor) {
        lifecycle.pause(id, actor);
    }

    @Transactional
    public void resume(String id, String actor) {
        lifecycle.resume(id, actor);
    }

    @Transactional
    public void cancel(String id, String actor) {
        lifecycle.cancel(id, actor);
    }

    /** Lets the rollout past the gate it waits at; {@code roles}: the approver's. */
    @Transactional
    public void approveGate(String id, Set<String> roles, String actor) {
        lifecycle.approveGate(id, roles, actor);
    }

    /** Ends the rollout's soak now. */
    @Transactional
    public void endWait(String id, String actor) {
        lifecycle.endWait(id, actor);
    }

    /** Lets a cluster waiting at a MANUAL_APPROVAL step go on. */
    @Transactional
    public void approve(String id, String clusterId, String actor) {
        lifecycle.approve(id, clusterId, actor);
    }

    /**
     * Sends a failed cluster's failed step again, as a new attempt, once its cause is fixed. The retried cluster
     * runs at once, even if that makes one more than maxParallel: someone asked for it.
     */
    @Transactional
    public void retry(String id, String clusterId, String actor) {
        lifecycle.retry(id, clusterId, actor);
    }

    /** The rollout with every cluster and step. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public RolloutDetail detail(String id) {
        Rollout rollout = require(id);
        return new RolloutDetail(rollout, List.copyOf(rollout.waves), rolloutClusters.ofRollout(id),
                steps.ofRollout(id));
    }

    /** The rollout with its clusters counted by state and wave. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public RolloutSummary summary(String id) {
        Rollout rollout = require(id);
        return new RolloutSummary(rollout, List.copyOf(rollout.waves), rolloutClusters.tally(id));
    }

    /** The rollout's counts with one page of its clusters (all, or those in one state) and their steps. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public RolloutPage page(String id, String stateName, int page, int size) {
        FieldProblems problems = new FieldProblems();
        ClusterPlanState state = null;
        if (stateName != null && !stateName.isBlank()) {
            try {
                state = ClusterPlanState.valueOf(stateName.toUpperCase());
            } catch (IllegalArgumentException e) {
                problems.add("state", "'" + stateName + "' is not a cluster state; one of "
                        + Arrays.toString(ClusterPlanState.values()));
            }
        }
        Paging.check(problems, page, size, plannerConfig.api().maxPageSize());
        problems.throwIfAny();
        RolloutSummary summary = summary(id);
        List<RolloutCluster> listed = rolloutClusters.page(id, state, page, size);
        long total = state == null ? summary.tally().byState().values().stream().mapToLong(Long::longValue).sum()
                : summary.tally().byState().get(state);
        List<RolloutStep> clusterSteps = listed.isEmpty() ? List.of()
                : steps.list("rolloutId = ?1 and clusterId in ?2 order by clusterId, seq", id,
                        listed.stream().map(RolloutCluster::clusterId).toList());
        return new RolloutPage(summary, new Page<>(listed, page, size, total), clusterSteps);
    }

    /** Rollouts newest first, optionally in one state, each counted (a listed rollout's clusters are never loaded). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Page<RolloutSummary> list(String stateName, int page, int size) {
        FieldProblems problems = new FieldProblems();
        RolloutState state = null;
        if (stateName != null) {
            try {
                state = RolloutState.valueOf(stateName.toUpperCase());
            } catch (IllegalArgumentException e) {
                problems.add("state", "'" + stateName + "' is not a rollout state; one of "
                        + Arrays.toString(RolloutState.values()));
            }
        }
        Paging.check(problems, page, size, plannerConfig.api().maxPageSize());
        problems.throwIfAny();
        var query = state == null ? rollouts.find("order by createdAt desc")
                : rollouts.find("state = ?1 order by createdAt desc", state);
        List<Rollout> listed = query.page(page, size).list();
        List<String> ids = listed.stream().map(r -> r.id).toList();
        Map<String, ClusterTally> tallies = rolloutClusters.tallies(ids);
        Map<String, List<Wave>> waves = rollouts.wavesOf(ids);
        return new Page<>(listed.stream().map(r -> new RolloutSummary(r, waves.get(r.id), tallies.get(r.id))).toList(),
                page, size, query.count());
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<AuditEntry> auditOf(String id) {
        require(id);
        return audit.of(id);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public AuditVerification verifyAudit(String id) {
        Rollout rollout = require(id);
        return audit.verify(rollout, audit.of(id));
    }

    private List<Cluster> select(StartRollout request) {
        Product product = request.product();
        boolean bySelector = request.selector() != null && !request.selector().isBlank();
        boolean byIds = request.clusterIds() != null && !request.clusterIds().isEmpty();
        if (bySelector == byIds) {
            throw InvalidInputException.of("selector", "give either a selector or clusterIds (registered clusters)");
        }
        if (bySelector) {
            List<Cluster> matched = inventory.findMatching(LabelSelector.parse(request.selector()), product.id(), 0,
                    Integer.MAX_VALUE);
            if (matched.isEmpty()) {
                throw InvalidInputException.of("selector", "'" + request.selector() + "' matches no registered "
                        + product.id() + " cluster");
            }
            return matched;
        }
        FieldProblems problems = new FieldProblems();
        List<Cluster> found = new ArrayList<>();
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(request.clusterIds()));
        for (int i = 0; i < ids.size(); i++) {
            Cluster c = ids.get(i) == null ? null : inventory.findById(ids.get(i));
            if (c == null) {
                problems.add("clusterIds[" + i + "]", "no cluster '" + ids.get(i) + "' is registered");
            } else {
                found.add(c);
            }
        }
        problems.throwIfAny();
        return found;
    }

    private static int limit(String field, Integer given, int byDefault) {
        int value = given != null ? given : byDefault;
        if (value < 1 || value > 10_000) {
            throw InvalidInputException.of(field, "must be between 1 and 10000");
        }
        return value;
    }

    private Rollout require(String id) {
        Rollout rollout = id == null ? null : rollouts.findById(id);
        if (rollout == null) {
            throw new NotFoundException("no rollout '" + id + "'");
        }
        return rollout;
    }
}
