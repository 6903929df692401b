package io.stepwise.planner.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.quarkus.logging.Log;
import io.stepwise.model.ClusterConnection;
import io.stepwise.model.ClusterPlanState;
import io.stepwise.model.DeploymentKind;
import io.stepwise.model.LifecycleEvent;
import io.stepwise.model.Product;
import io.stepwise.model.RolloutState;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepState;
import io.stepwise.model.StepStatus;
import io.stepwise.planner.config.OrchestrationConfig;
import io.stepwise.planner.config.PlannerConfig;
import io.stepwise.planner.domain.AuditEntry;
import io.stepwise.planner.domain.Cluster;
import io.stepwise.planner.domain.InvalidSelectorException;
import io.stepwise.planner.domain.LabelSelector;
import io.stepwise.planner.domain.Rollout;
import io.stepwise.planner.domain.RolloutCluster;
import io.stepwise.planner.domain.RolloutStep;
import io.stepwise.planner.domain.Wave;
import io.stepwise.planner.persistence.ClusterRepository;
import io.stepwise.planner.persistence.RolloutClusterRepository;
import io.stepwise.planner.persistence.RolloutClusterRepository.Tally;
import io.stepwise.planner.persistence.RolloutRepository;
import io.stepwise.planner.persistence.RolloutStepRepository;
import io.stepwise.planner.rest.PageView;
import io.stepwise.planner.rest.RolloutRequest;
import io.stepwise.planner.rest.RolloutView;
import io.stepwise.planner.rest.View;
import io.stepwise.planner.rest.problem.FieldErrors;
import io.stepwise.planner.rest.problem.ProblemException;
import io.stepwise.planner.rules.Plan;
import io.stepwise.planner.rules.PlanOutcome;
import io.stepwise.planner.rules.PlannedStep;
import io.stepwise.planner.rules.Refusal;
import io.stepwise.planner.rules.TargetVersion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Creating rollouts and the operations people perform on them: pause, resume, cancel, approve. */
@ApplicationScoped
public class RolloutService {

    /** A created rollout, and whether it was created now or found by its idempotency key. */
    public record Created(RolloutView rollout, boolean replayed) {
    }

    /** Most waves one rollout may have. */
    static final int MAX_WAVES = 100;

    /**
     * A rollout of this many clusters refreshes the table's statistics as it is created
     * ({@link RolloutClusterRepository#refreshStatistics}): below it, reading all of a rollout's clusters costs less
     * than the ~0.1–0.2 s of sampling the table.
     */
    static final int REFRESH_STATISTICS_FROM = 500;

    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private final RolloutRepository rollouts;
    private final RolloutClusterRepository rolloutClusters;
    private final RolloutStepRepository steps;
    private final ClusterRepository inventory;
    private final PlanningService planning;
    private final Orchestrator orchestrator;
    private final AuditTrail audit;
    private final OrchestrationConfig config;
    private final PlannerConfig plannerConfig;
    private final ObjectMapper json;

    public RolloutService(RolloutRepository rollouts, RolloutClusterRepository rolloutClusters,
                          RolloutStepRepository steps, ClusterRepository inventory, PlanningService planning,
                          Orchestrator orchestrator, AuditTrail audit, OrchestrationConfig config,
                          PlannerConfig plannerConfig, ObjectMapper json) {
        this.rollouts = rollouts;
        this.rolloutClusters = rolloutClusters;
        this.steps = steps;
        this.inventory = inventory;
        this.planning = planning;
        this.orchestrator = orchestrator;
        this.audit = audit;
        this.config = config;
        this.plannerConfig = plannerConfig;
        this.json = json;
    }

    /**
     * Plans every selected cluster and starts the rollout, all in one transaction: the rollout, its plans, the
     * first dispatches and their outbox rows exist together or not at all.
     */
    @Transactional
    public Created create(RolloutRequest request, String idempotencyKey, String actor, View view) {
        if (request == null) {
            throw ProblemException.badRequest("body", "a rollout request is required");
        }
        String requestHash = hash(request);
        if (idempotencyKey != null) {
            Rollout existing = rollouts.find("idempotencyKey", idempotencyKey).firstResult();
            if (existing != null) {
                if (!existing.requestHash.equals(requestHash)) {
                    throw new ProblemException(422, "Idempotency key reused", "Idempotency-Key '" + idempotencyKey
                            + "' was used for a different request (rollout " + existing.id + "): use a new key",
                            List.of());
                }
                return new Created(view(existing.id, view), true);
            }
        }
        Product product = ProductNames.require("product", request.product());
        TargetVersion target = PlanningService.requireTarget("targetVersion", request.targetVersion());
        int maxParallel = strategyValue(request, true);
        int maxFailed = strategyValue(request, false);
        List<Cluster> selected = select(request, product);
        Map<String, Integer> waveOf = new LinkedHashMap<>();
        List<Wave> waves = assignWaves(request, selected, waveOf);

        Rollout rollout = new Rollout();
        rollout.id = UUID.randomUUID().toString();
        rollout.product = product.id();
        rollout.targetVersion = target.text();
        rollout.state = RolloutState.RUNNING;
        rollout.selector = request.selector();
        rollout.maxParallel = maxParallel;
        rollout.maxFailedClusters = maxFailed;
        rollout.waves = waves;
        rollout.currentWave = 1;
        rollout.idempotencyKey = idempotencyKey;
        rollout.requestHash = requestHash;
        rollout.actor = actor;
        rollout.createdAt = Instant.now();
        rollout.updatedAt = rollout.createdAt;
        rollouts.persist(rollout);
        audit.append(rollout, actor, "rollout.requested", null, null, Map.of("product", product.id(),
                "targetVersion", target.text(), "clusters", selected.size(), "maxParallel", maxParallel,
                "maxFailedClusters", maxFailed, "selector", String.valueOf(request.selector()),
                "waves", waves.stream().map(Wave::name).toList()));

        // wave by wave; within a wave, in selection order (the sort is stable)
        List<Cluster> ordered = new ArrayList<>(selected);
        ordered.sort(Comparator.comparing(c -> waveOf.get(c.id)));
        List<PlanOutcome> outcomes = planning.plan(ordered.stream().map(PreviewService::facts).toList(), product,
                target, rollout.id);
        // Written table by table (every cluster, then every step, then every audit entry): a JDBC batch holds one
        // table's statements, so writing each cluster with its steps and audit entry sent a 10,000-cluster
        // rollout as 30,000 round trips (34 s to flush, against 2 s this way).
        for (int i = 0; i < ordered.size(); i++) {
            rolloutClusters.persist(clusterOf(rollout, ordered.get(i), i, waveOf.get(ordered.get(i).id), outcomes.get(i)));
        }
        for (int i = 0; i < ordered.size(); i++) {
            if (outcomes.get(i) instanceof Plan plan) {
                persistSteps(rollout, ordered.get(i), plan);
            }
        }
        for (int i = 0; i < ordered.size(); i++) {
            auditOutcome(rollout, ordered.get(i), outcomes.get(i), actor);
        }
        rollouts.flush();
        if (ordered.size() >= REFRESH_STATISTICS_FROM) {
            rolloutClusters.refreshStatistics();
        }
        orchestrator.lifecycle(rollout, null, LifecycleEvent.ROLLOUT_STARTED, rollout.state.name(),
                ordered.size() + " clusters to " + target.text());
        orchestrator.moveOn(rollout, Orchestrator.PLANNER);
        Log.infof("Rollout %s: %s to %s over %d clusters (max %d at once)", rollout.id, product.id(), target.text(),
                ordered.size(), maxParallel);
        return new Created(view(rollout.id, view), false);
    }

    private RolloutCluster clusterOf(Rollout rollout, Cluster cluster, int position, int wave, PlanOutcome outcome) {
        RolloutCluster rc = new RolloutCluster();
        rc.key = new RolloutCluster.Key(rollout.id, cluster.id);
        rc.position = position;
        rc.wave = wave;
        rc.fromVersion = cluster.version;
        rc.connection = connectionJson(cluster);
        if (outcome instanceof Refusal refusal) {
            rc.state = ClusterPlanState.SKIPPED;
            rc.refusalCode = refusal.code().name();
            rc.message = refusal.message();
        } else {
            Plan plan = (Plan) outcome;
            rc.toVersion = plan.toVersion();
            rc.state = plan.alreadyAtTarget() ? ClusterPlanState.SUCCEEDED : ClusterPlanState.WAITING;
            rc.message = plan.summary();
        }
        return rc;
    }

    private void persistSteps(Rollout rollout, Cluster cluster, Plan plan) {
        for (PlannedStep planned : plan.steps()) {
            RolloutStep step = new RolloutStep();
            step.stepId = RolloutStep.idOf(rollout.id, cluster.id, planned.seq());
            step.rolloutId = rollout.id;
            step.clusterId = cluster.id;
            step.seq = planned.seq();
            step.kind = planned.kind();
            step.toVersion = planned.toVersion();
            step.rule = planned.rule();
            step.reason = planned.reason();
            step.params = toJson(planned.params());
            step.state = StepState.PENDING;
            steps.persist(step);
        }
    }

    private void auditOutcome(Rollout rollout, Cluster cluster, PlanOutcome outcome, String actor) {
        if (outcome instanceof Refusal refusal) {
            audit.append(rollout, actor, "cluster.refused", cluster.id, null, Map.of("code", refusal.code().name(),
                    "message", refusal.message()));
        } else {
            Plan plan = (Plan) outcome;
            audit.append(rollout, actor, "cluster.planned", cluster.id, null, Map.of("from",
                    String.valueOf(plan.fromVersion()), "to", plan.toVersion(), "steps", plan.steps().size(),
                    "path", plan.path()));
        }
    }

    /** The rollout with every cluster and step, or in summary (counts by state and wave, as listed). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public RolloutView view(String id, View view) {
        Rollout rollout = require(id);
        return view == View.SUMMARY ? RolloutView.summary(rollout, rollout.waves, rolloutClusters.tally(id))
                : RolloutView.of(rollout, rolloutClusters.ofRollout(id), steps.ofRollout(id));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public PageView<RolloutView> list(String stateName, int page, int size) {
        FieldErrors errors = new FieldErrors();
        RolloutState state = null;
        if (stateName != null) {
            try {
                state = RolloutState.valueOf(stateName.toUpperCase());
            } catch (IllegalArgumentException e) {
                errors.add("state", "'" + stateName + "' is not a rollout state; one of "
                        + java.util.Arrays.toString(RolloutState.values()));
            }
        }
        if (page < 0) {
            errors.add("page", "must be 0 or more");
        }
        if (size < 1 || size > plannerConfig.api().maxPageSize()) {
            errors.add("size", "must be between 1 and " + plannerConfig.api().maxPageSize());
        }
        errors.throwIfAny();
        var query = state == null ? rollouts.find("order by createdAt desc")
                : rollouts.find("state = ?1 order by createdAt desc", state);
        List<Rollout> listed = query.page(page, size).list();
        List<String> ids = listed.stream().map(r -> r.id).toList();
        Map<String, Tally> tallies = rolloutClusters.tallies(ids);
        Map<String, List<Wave>> waves = rollouts.wavesOf(ids);
        List<RolloutView> items = listed.stream().map(r -> RolloutView.summary(r, waves.get(r.id), tallies.get(r.id)))
                .toList();
        return new PageView<>(items, page, size, query.count());
    }

    @Transactional
    public RolloutView pause(String id, String actor, View view) {
        Rollout rollout = lockOrThrow(id);
        requireState(rollout, "pause", RolloutState.RUNNING);
        rollout.state = RolloutState.PAUSED;
        rollout.updatedAt = Instant.now();
        audit.append(rollout, actor, "rollout.paused", null, null, Map.of());
        orchestrator.lifecycle(rollout, null, LifecycleEvent.ROLLOUT_PAUSED, "PAUSED", "paused by " + actor);
        return view(id, view);
    }

    @Transactional
    public RolloutView resume(String id, String actor, View view) {
        Rollout rollout = lockOrThrow(id);
        requireState(rollout, "resume", RolloutState.PAUSED);
        rollout.state = RolloutState.RUNNING;
        rollout.message = null;
        rollout.updatedAt = Instant.now();
        audit.append(rollout, actor, "rollout.resumed", null, null, Map.of());
        orchestrator.lifecycle(rollout, null, LifecycleEvent.ROLLOUT_RESUMED, "RUNNING", "resumed by " + actor);
        orchestrator.dispatchWaitingNextSteps(rollout, actor);
        orchestrator.moveOn(rollout, actor);
        return view(id, view);
    }

    @Transactional
    public RolloutView cancel(String id, String actor, View view) {
        Rollout rollout = lockOrThrow(id);
        requireState(rollout, "cancel", RolloutState.RUNNING, RolloutState.PAUSED, RolloutState.PENDING);
        rollout.updatedAt = Instant.now();
        orchestrator.stop(rollout, RolloutState.CANCELLED, "cancelled by " + actor, actor);
        return view(id, view);
    }

    /** Lets a cluster waiting at a MANUAL_APPROVAL step go on. */
    @Transactional
    public RolloutView approve(String id, String clusterId, String actor, View view) {
        Rollout rollout = lockOrThrow(id);
        RolloutCluster cluster = clusterOrThrow(id, clusterId);
        if (cluster.state != ClusterPlanState.AWAITING_APPROVAL) {
            throw ProblemException.conflict("cluster " + clusterId + " is " + cluster.state
                    + ", not waiting for approval");
        }
        RolloutStep gate = steps.find(id, clusterId, cluster.currentSeq);
        gate.state = StepState.SUCCEEDED;
        gate.finishedAt = Instant.now();
        gate.message = "approved by " + actor;
        cluster.state = ClusterPlanState.RUNNING;
        cluster.message = null;
        audit.append(rollout, actor, "approval.granted", clusterId, gate.seq, Map.of());
        orchestrator.advance(rollout, cluster, actor);
        return view(id, view);
    }

    /**
     * Sends a failed cluster's failed step again, as a new attempt (the executor runs each attempt once; its
     * handlers adopt what an earlier attempt did). A rollout that had ended because of the failure is reopened
     * for this cluster; clusters it had cancelled stay cancelled. The retried cluster runs at once, even if that
     * makes one more than maxParallel: someone asked for it.
     */
    @Transactional
    public RolloutView retry(String id, String clusterId, String actor, View view) {
        Rollout rollout = lockOrThrow(id);
        RolloutCluster cluster = clusterOrThrow(id, clusterId);
        if (cluster.state != ClusterPlanState.FAILED) {
            throw ProblemException.conflict("cluster " + clusterId + " is " + cluster.state
                    + "; only a FAILED cluster can be retried");
        }
        if (rollout.state == RolloutState.CANCELLED) {
            throw ProblemException.conflict("rollout " + id + " was cancelled; start a new rollout instead");
        }
        RolloutStep failed = steps.find(id, clusterId, cluster.currentSeq);
        if (failed == null || failed.state != StepState.FAILED) {
            throw ProblemException.conflict("cluster " + clusterId + " has no failed step to retry (it failed "
                    + "outside a step: " + cluster.message + ")");
        }
        if (rollout.state.isTerminal()) {
            rollout.state = RolloutState.RUNNING;
            rollout.finishedAt = null;
        }
        rollout.message = null;
        rollout.updatedAt = Instant.now();
        cluster.state = ClusterPlanState.RUNNING;
        cluster.finishedAt = null;
        cluster.message = null;
        audit.append(rollout, actor, "cluster.retried", clusterId, failed.seq, Map.of("kind", failed.kind.name(),
                "previousError", String.valueOf(failed.error), "attempt", failed.attempts + 1));
        failed.state = StepState.PENDING;
        failed.error = null;
        failed.message = null;
        failed.startedAt = null;
        failed.finishedAt = null;
        orchestrator.dispatch(rollout, cluster, failed, actor);
        return view(id, view);
    }

    /** Fails steps that have had no status for longer than the step timeout. */
    @Transactional
    public int failTimedOutSteps() {
        Instant limit = Instant.now().minus(config.stepTimeout());
        List<RolloutStep> stale = steps.list("state in ?1 and coalesce(startedAt, dispatchedAt) < ?2 and kind <> ?3",
                List.of(StepState.DISPATCHED, StepState.RUNNING), limit, StepKind.MANUAL_APPROVAL);
        for (RolloutStep step : stale) {
            orchestrator.onStatus(new StepStatus(step.stepId, step.rolloutId, step.clusterId, step.seq, step.attempts,
                    StepState.FAILED, null, "no status from the executor for " + config.stepTimeout().toMinutes()
                    + " minutes (stepwise.rollouts.step-timeout): the step timed out", Instant.now()),
                    Orchestrator.PLANNER);
        }
        return stale.size();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<AuditEntry> auditOf(String id) {
        require(id);
        return audit.of(id);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public AuditTrail.Verification verifyAudit(String id) {
        Rollout rollout = require(id);
        return audit.verify(rollout, audit.of(id));
    }

    private List<Cluster> select(RolloutRequest request, Product product) {
        boolean bySelector = request.selector() != null && !request.selector().isBlank();
        boolean byIds = request.clusterIds() != null && !request.clusterIds().isEmpty();
        if (bySelector == byIds) {
            throw ProblemException.badRequest("selector", "give either a selector or clusterIds (registered clusters)");
        }
        if (bySelector) {
            List<Cluster> matched = inventory.findMatching(LabelSelector.parse(request.selector()), product.id(), 0,
                    Integer.MAX_VALUE);
            if (matched.isEmpty()) {
                throw ProblemException.badRequest("selector", "'" + request.selector() + "' matches no registered "
                        + product.id() + " cluster");
            }
            return matched;
        }
        FieldErrors errors = new FieldErrors();
        List<Cluster> found = new ArrayList<>();
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(request.clusterIds()));
        for (int i = 0; i < ids.size(); i++) {
            Cluster c = ids.get(i) == null ? null : inventory.findById(ids.get(i));
            if (c == null) {
                errors.add("clusterIds[" + i + "]", "no cluster '" + ids.get(i) + "' is registered");
            } else {
                found.add(c);
            }
        }
        errors.throwIfAny();
        return found;
    }

    /**
     * Puts each selected cluster in its wave (numbered from 1, recorded in {@code waveOf}) and answers the waves.
     * A cluster goes to the first wave that takes it; clusters no wave takes form a last wave, "remaining".
     * A wave that takes no cluster is refused: a canary selector that matches nothing is a mistake to report,
     * not a wave to skip.
     */
    private static List<Wave> assignWaves(RolloutRequest request, List<Cluster> selected, Map<String, Integer> waveOf) {
        List<RolloutRequest.WaveRequest> asked = request.strategy() == null || request.strategy().waves() == null
                ? List.of() : request.strategy().waves();
        if (asked.isEmpty()) {
            selected.forEach(c -> waveOf.put(c.id, 1));
            return Wave.ONE;
        }
        FieldErrors errors = new FieldErrors();
        if (asked.size() > MAX_WAVES) {
            throw ProblemException.badRequest("strategy.waves", "at most " + MAX_WAVES + " waves");
        }
        Set<String> inRollout = new HashSet<>();
        selected.forEach(c -> inRollout.add(c.id));
        List<Wave> waves = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < asked.size(); i++) {
            String field = "strategy.waves[" + i + "]";
            RolloutRequest.WaveRequest wave = asked.get(i);
            if (wave == null) {
                errors.add(field, "a wave is required");
                continue;
            }
            String name = wave.name() == null || wave.name().isBlank() ? "wave " + (i + 1) : wave.name().trim();
            if (!names.add(name)) {
                errors.add(field + ".name", "'" + name + "' names two waves");
            }
            boolean bySelector = wave.selector() != null && !wave.selector().isBlank();
            boolean byIds = wave.clusterIds() != null && !wave.clusterIds().isEmpty();
            if (bySelector && byIds) {
                errors.add(field, "give a selector or clusterIds, not both");
                continue;
            }
            LabelSelector selector = LabelSelector.EVERYTHING;
            if (bySelector) {
                try {
                    selector = LabelSelector.parse(wave.selector());
                } catch (InvalidSelectorException e) {
                    errors.add(field + ".selector", e.getMessage());
                    continue;
                }
            }
            if (byIds) {
                for (int j = 0; j < wave.clusterIds().size(); j++) {
                    if (!inRollout.contains(wave.clusterIds().get(j))) {
                        errors.add(field + ".clusterIds[" + j + "]", "'" + wave.clusterIds().get(j)
                                + "' is not one of the clusters this rollout selected");
                    }
                }
            }
            int number = i + 1;
            int taken = 0;
            for (Cluster c : selected) {
                boolean member = byIds ? wave.clusterIds().contains(c.id) : selector.matches(c.labels);
                if (member && !waveOf.containsKey(c.id)) {
                    waveOf.put(c.id, number);
                    taken++;
                }
            }
            if (taken == 0) {
                errors.add(field, "wave '" + name + "' takes none of the rollout's clusters"
                        + (i > 0 ? " (those it names may all be in earlier waves)" : ""));
            }
            waves.add(new Wave(name, Boolean.TRUE.equals(wave.pauseAfter())));
        }
        errors.throwIfAny();
        if (waveOf.size() < selected.size()) {
            int number = waves.size() + 1;
            selected.stream().filter(c -> !waveOf.containsKey(c.id)).forEach(c -> waveOf.put(c.id, number));
            waves.add(new Wave(names.contains("remaining") ? "remaining (" + number + ")" : "remaining", false));
        }
        return waves;
    }

    private int strategyValue(RolloutRequest request, boolean parallel) {
        RolloutRequest.Strategy strategy = request.strategy();
        Integer given = strategy == null ? null : parallel ? strategy.maxParallel()
                : strategy.failurePolicy() == null ? null : strategy.failurePolicy().maxFailedClusters();
        int value = given != null ? given : parallel ? config.defaultMaxParallel() : config.defaultMaxFailedClusters();
        if (value < 1 || value > 10_000) {
            throw ProblemException.badRequest(parallel ? "strategy.maxParallel"
                    : "strategy.failurePolicy.maxFailedClusters", "must be between 1 and 10000");
        }
        return value;
    }

    private Rollout require(String id) {
        Rollout rollout = id == null ? null : rollouts.findById(id);
        if (rollout == null) {
            throw ProblemException.notFound("no rollout '" + id + "'");
        }
        return rollout;
    }

    private Rollout lockOrThrow(String id) {
        require(id);
        return orchestrator.lock(id);
    }

    private RolloutCluster clusterOrThrow(String id, String clusterId) {
        RolloutCluster cluster = rolloutClusters.find(id, clusterId);
        if (cluster == null) {
            throw ProblemException.notFound("cluster '" + clusterId + "' is not part of rollout " + id);
        }
        return cluster;
    }

    private static void requireState(Rollout rollout, String action, RolloutState... allowed) {
        if (!List.of(allowed).contains(rollout.state)) {
            throw ProblemException.conflict("cannot " + action + " rollout " + rollout.id + ": it is " + rollout.state);
        }
    }

    private String connectionJson(Cluster c) {
        return toJson(new ClusterConnection(c.endpoint, DeploymentKind.fromId(c.deployment).orElse(null), c.namespace,
                c.statefulSet, c.helmRelease, c.credentialsRef, c.extra));
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON", e);
        }
    }

    private static String hash(RolloutRequest request) {
        try {
            byte[] canonical = CANONICAL.writeValueAsBytes(request);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash the request", e);
        }
    }
}
