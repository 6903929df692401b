package io.stepwise.planner.lifecycle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.stepwise.model.ClusterConnection;
import io.stepwise.model.ClusterPlanState;
import io.stepwise.model.DeploymentKind;
import io.stepwise.model.LifecycleEvent;
import io.stepwise.model.ProbeResult;
import io.stepwise.model.Product;
import io.stepwise.model.RefusalCode;
import io.stepwise.model.RolloutState;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepState;
import io.stepwise.model.StepStatus;
import io.stepwise.planner.audit.AuditTrail;
import io.stepwise.planner.config.SecurityConfig;
import io.stepwise.planner.domain.Cluster;
import io.stepwise.planner.domain.FourEyesException;
import io.stepwise.planner.domain.Gate;
import io.stepwise.planner.domain.ClustersBusyException;
import io.stepwise.planner.domain.ClustersBusyException.BusyCluster;
import io.stepwise.planner.domain.NotFoundException;
import io.stepwise.planner.domain.Rollout;
import io.stepwise.planner.domain.RolloutCluster;
import io.stepwise.planner.domain.RolloutStep;
import io.stepwise.planner.domain.TransitionRefusedException;
import io.stepwise.planner.domain.Wave;
import io.stepwise.planner.lifecycle.NewRollout.PlannedCluster;
import io.stepwise.planner.persistence.ClusterLeaseRepository;
import io.stepwise.planner.persistence.ClusterProbeRepository;
import io.stepwise.planner.persistence.ClusterRepository;
import io.stepwise.planner.persistence.RolloutClusterRepository;
import io.stepwise.planner.persistence.RolloutClusterRepository.Progress;
import io.stepwise.planner.persistence.RolloutRepository;
import io.stepwise.planner.persistence.RolloutStepRepository;
import io.stepwise.planner.rules.Plan;
import io.stepwise.planner.rules.PlanOutcome;
import io.stepwise.planner.rules.PlannedStep;
import io.stepwise.planner.rules.Refusal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The one owner of a rollout's life: every state a rollout, a cluster in it or a step of its plan takes is assigned
 * here, by the rules of {@link Transition}. Every method runs in its caller's transaction and first takes the row
 * lock of the rollout it changes, so decisions about one rollout (places free, failures so far, pause) never race,
 * and a change, its audit entries and its outgoing events commit together.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class RolloutLifecycle {

    /** The actor of what the planner does on its own (a wave entered, a step timed out). */
    public static final String PLANNER = "planner";
    /** The actor of the executor's reports. */
    public static final String EXECUTOR = "executor";
    /** How the probes of a preview begin: they belong to no rollout. */
    public static final String PREVIEW_PROBE = "preview-";
    /** The error code of a step the planner timed out. */
    public static final String TIMED_OUT = "TIMED_OUT";

    /**
     * A rollout of this many clusters refreshes the table's statistics as it is created: below it, reading all of a
     * rollout's clusters costs less than sampling the table.
     */
    public static final int REFRESH_STATISTICS_FROM = 500;

    /** From this many status events of one rollout in a part, their rows are loaded together. */
    static final int LOAD_TOGETHER_FROM = 3;

    private final RolloutRepository rollouts;
    private final ClusterLeaseRepository leases;
    private final ClusterProbeRepository probes;
    private final RolloutClusterRepository clusters;
    private final RolloutStepRepository steps;
    private final ClusterRepository inventory;
    private final AuditTrail audit;
    private final Announcements announce;
    private final RolloutMetrics metrics;
    private static final TypeReference<LinkedHashMap<String, Object>> PARAMS = new TypeReference<>() { };
    private final ObjectMapper json;
    private final SecurityConfig security;
    private final SegmentAdmission admission;
    private final Clock clock;

    public RolloutLifecycle(RolloutRepository rollouts, ClusterLeaseRepository leases, ClusterProbeRepository probes,
                            RolloutClusterRepository clusters, RolloutStepRepository steps,
                            ClusterRepository inventory, AuditTrail audit, Announcements announce,
                            RolloutMetrics metrics, ObjectMapper json, SecurityConfig security,
                            SegmentAdmission admission, Clock clock) {
        this.rollouts = rollouts;
        this.leases = leases;
        this.probes = probes;
        this.clusters = clusters;
        this.steps = steps;
        this.inventory = inventory;
        this.audit = audit;
        this.announce = announce;
        this.metrics = metrics;
        this.json = json;
        this.security = security;
        this.admission = admission;
        this.clock = clock;
    }

    // ---- created -------------------------------------------------------------------------------------------------

    /**
     * {@link Transition#CREATED} from the inventory's facts: stores the rollout, its plans and first dispatches, and
     * starts it.
     */
    public Rollout create(NewRollout plan) {
        Rollout rollout = newRollout(plan, RolloutState.RUNNING);
        List<PlannedCluster> planned = plan.clusters();
        Map<String, String> busy = takeLeases(rollout, planned.stream()
                .filter(c -> c.outcome() instanceof Plan p && !p.alreadyAtTarget())
                .map(c -> c.cluster().id).toList(), plan.skipBusyClusters());
        auditRequested(rollout, plan, false);

        // table by table: a JDBC batch holds one table's statements
        for (int i = 0; i < planned.size(); i++) {
            clusters.persist(clusterOf(rollout, planned.get(i), i, busy.get(planned.get(i).cluster().id)));
        }
        for (PlannedCluster c : planned) {
            if (c.outcome() instanceof Plan p && !busy.containsKey(c.cluster().id)) {
                persistSteps(rollout, c.cluster(), p);
            }
        }
        for (PlannedCluster c : planned) {
            auditOutcome(rollout, c, busy.get(c.cluster().id), plan.actor());
        }
        rollouts.flush();
        if (planned.size() >= REFRESH_STATISTICS_FROM) {
            clusters.refreshStatistics();
        }
        announce.rollout(rollout, plan.actor(), LifecycleEvent.ROLLOUT_STARTED, rollout.state.name(),
                planned.size() + " clusters to " + rollout.targetVersion);
        advanceRollout(rollout, PLANNER);
        return rollout;
    }

    /**
     * {@link Transition#CREATED} to be planned from what the clusters really run: stores the rollout PENDING, holding
     * its clusters, and asks the executor to probe each of them ({@link #onProbed}, then {@link #startProbed}).
     */
    public Rollout createProbing(NewRollout plan) {
        Rollout rollout = newRollout(plan, RolloutState.PENDING);
        List<PlannedCluster> selected = plan.clusters();
        Map<String, String> busy = takeLeases(rollout, selected.stream().filter(c -> c.outcome() == null)
                .map(c -> c.cluster().id).toList(), plan.skipBusyClusters());
        auditRequested(rollout, plan, true);
        int probed = 0;
        for (int i = 0; i < selected.size(); i++) {
            Cluster cluster = selected.get(i).cluster();
            RolloutCluster rc = clusterOf(rollout, selected.get(i), i, busy.get(cluster.id));
            if (busy.containsKey(cluster.id) || selected.get(i).outcome() != null) {
                auditOutcome(rollout, selected.get(i), busy.get(cluster.id), plan.actor());
            } else {
                rc.state = ClusterPlanState.WAITING;
                rc.message = "reading the version it runs before planning";
                announce.probe(probeId(rollout.id, cluster.id), plan.product(), cluster);
                probed++;
            }
            clusters.persist(rc);
        }
        rollout.message = "probing " + probed + " cluster(s): each is planned from the version it really runs";
        rollouts.flush();
        if (probed == 0) {
            startProbed(rollout.id, List.of(), Map.of(), PLANNER);
        }
        return rollout;
    }

    /**
     * {@link Transition#SCHEDULED}: stores the rollout SCHEDULED until its {@code startAt}, holding its clusters'
     * leases; they are planned when it starts ({@link #beginScheduled}), from the facts of that moment.
     */
    public Rollout createScheduled(NewRollout plan) {
        Rollout rollout = newRollout(plan, RolloutState.SCHEDULED);
        List<PlannedCluster> selected = plan.clusters();
        Map<String, String> busy = takeLeases(rollout, selected.stream().filter(c -> c.outcome() == null)
                .map(c -> c.cluster().id).toList(), plan.skipBusyClusters());
        auditRequested(rollout, plan, false);
        for (int i = 0; i < selected.size(); i++) {
            Cluster cluster = selected.get(i).cluster();
            RolloutCluster rc = clusterOf(rollout, selected.get(i), i, busy.get(cluster.id));
            if (busy.containsKey(cluster.id) || selected.get(i).outcome() != null) {
                auditOutcome(rollout, selected.get(i), busy.get(cluster.id), plan.actor());
            } else {
                rc.state = ClusterPlanState.WAITING;
                rc.message = "planned when the rollout starts";
            }
            clusters.persist(rc);
        }
        rollout.message = "scheduled: starts at " + rollout.startAt;
        rollouts.flush();
        announce.rollout(rollout, plan.actor(), LifecycleEvent.ROLLOUT_SCHEDULED, rollout.state.name(),
                rollout.message);
        return rollout;
    }

    /** The scheduled rollouts whose time has come. */
    public List<String> scheduledDue() {
        return rollouts.list("state = ?1 and startAt <= ?2", RolloutState.SCHEDULED, clock.instant()).stream()
                .map(r -> r.id).toList();
    }

    /**
     * A scheduled rollout's time has come: it becomes PENDING and, with {@code probe}, asks the executor to probe its
     * waiting clusters; it is then planned as a rollout created now ({@link #startProbed}). False if it is no longer
     * scheduled (cancelled, or started by another planner instance).
     */
    public boolean beginScheduled(String rolloutId, boolean probe) {
        Rollout rollout = lockExisting(rolloutId);
        if (rollout.state != RolloutState.SCHEDULED) {
            return false;
        }
        rollout.state = RolloutState.PENDING;
        rollout.startAt = clock.instant();
        rollout.updatedAt = Instant.now();
        audit.append(rollout, PLANNER, "rollout.schedule.reached", null, null, Map.of("probe", probe));
        if (probe) {
            Product product = Product.fromId(rollout.product).orElseThrow();
            int probed = 0;
            for (RolloutCluster rc : clusters.inState(rolloutId, ClusterPlanState.WAITING)) {
                Cluster cluster = inventory.findById(rc.clusterId());
                if (cluster != null) {
                    rc.message = "reading the version it runs before planning";
                    announce.probe(probeId(rolloutId, cluster.id), product, cluster);
                    probed++;
                }
            }
            rollout.message = "probing " + probed + " cluster(s): each is planned from the version it really runs";
        }
        return true;
    }

    /** The unfinished rollouts of a product that take clusters registered later ({@code followSelector}). */
    public List<Rollout> following(String product) {
        return rollouts.list("followSelector = true and finishedAt is null and product = ?1", product);
    }

    /**
     * {@link Transition#JOINED}: a cluster registered after the rollout was created, matching its selector, joins its
     * last wave: planned now ({@code outcome}) if the rollout runs, else WAITING to be probed or planned with the
     * others. A cluster another rollout holds joins SKIPPED (CLUSTER_BUSY).
     */
    public void join(String rolloutId, Cluster cluster, PlanOutcome outcome, String actor) {
        Rollout rollout = lockExisting(rolloutId);
        if (rollout.finishedAt != null || rollout.state.isTerminal() || clusters.find(rolloutId, cluster.id) != null) {
            return;
        }
        PlannedCluster planned = new PlannedCluster(cluster, rollout.waves.size(), outcome);
        boolean actOn = outcome == null || (outcome instanceof Plan p && !p.alreadyAtTarget());
        String busy = actOn && leases.acquire(rolloutId, List.of(cluster.id)).isEmpty()
                ? leases.holders(List.of(cluster.id)).stream().map(BusyCluster::rolloutId).findFirst().orElse("?")
                : null;
        RolloutCluster rc = clusterOf(rollout, planned, clusters.nextPosition(rolloutId), busy);
        if (busy == null && outcome == null) {
            rc.state = ClusterPlanState.WAITING;
            rc.message = rollout.state == RolloutState.PENDING ? "reading the version it runs before planning"
                    : "planned when the rollout starts";
            if (rollout.state == RolloutState.PENDING) {
                announce.probe(probeId(rolloutId, cluster.id), Product.fromId(rollout.product).orElseThrow(), cluster);
            }
        }
        clusters.persist(rc);
        if (busy == null && outcome instanceof Plan p && !p.alreadyAtTarget()) {
            persistSteps(rollout, cluster, p);
        }
        audit.append(rollout, actor, "cluster.joined", cluster.id, null, Map.of("wave",
                rollout.waves.get(rollout.waves.size() - 1).name()));
        if (outcome != null || busy != null) {
            auditOutcome(rollout, planned, busy, actor);
        }
        rollout.updatedAt = Instant.now();
        if (rollout.state == RolloutState.RUNNING) {
            advanceRollout(rollout, actor);
        }
    }

    /** The id of the probe of one cluster for a rollout. */
    public static String probeId(String rolloutId, String clusterId) {
        return rolloutId + ":" + clusterId;
    }

    /** The rollout a probe was asked for, or null for a probe of no rollout (a preview's). */
    private static String rolloutOfProbe(String probeId) {
        int colon = probeId == null ? -1 : probeId.lastIndexOf(':');
        return colon <= 0 || probeId.startsWith(PREVIEW_PROBE) ? null : probeId.substring(0, colon);
    }

    /**
     * Keeps a probe's result; answers the id of the pending rollout it completes (every cluster it probes has
     * answered), which is then to be planned and started.
     */
    public Optional<String> onProbed(ProbeResult result) {
        probes.record(result);
        String rolloutId = rolloutOfProbe(result.probeId());
        Rollout rollout = rolloutId == null ? null : lock(rolloutId);
        if (rollout == null || rollout.state != RolloutState.PENDING) {
            return Optional.empty();
        }
        List<String> waiting = clusters.inState(rolloutId, ClusterPlanState.WAITING).stream()
                .map(RolloutCluster::clusterId).toList();
        Map<String, ProbeResult> answered = probes.find(waiting.stream().map(id -> probeId(rolloutId, id)).toList());
        return answered.size() == waiting.size() ? Optional.of(rolloutId) : Optional.empty();
    }

    /**
     * {@link Transition#PROBED}: plans a pending rollout's probed clusters from what was found and starts it. Each
     * outcome is for a WAITING cluster; {@code found} says, by cluster, what its probe found where that differs from
     * the inventory (for the audit trail). A cluster the rollout will not act on gives its lease back.
     */
    public void startProbed(String rolloutId, List<PlannedCluster> planned, Map<String, String> found, String actor) {
        Rollout rollout = lockExisting(rolloutId);
        if (rollout.state != RolloutState.PENDING) {
            return; // cancelled while probing, or started by another planner instance
        }
        List<String> released = new ArrayList<>();
        for (PlannedCluster c : planned) {
            RolloutCluster rc = clusters.find(rolloutId, c.cluster().id);
            if (rc == null || rc.state != ClusterPlanState.WAITING) {
                continue;
            }
            if (found.containsKey(rc.clusterId())) {
                audit.append(rollout, actor, "cluster.probed", rc.clusterId(), null, Map.of("registered",
                        String.valueOf(rc.fromVersion), "found", found.get(rc.clusterId())));
            }
            rc.fromVersion = c.cluster().version;
            rc.nodes = c.cluster().nodes;
            applyOutcome(rc, c.outcome());
            if (c.outcome() instanceof Plan p && !p.alreadyAtTarget()) {
                persistSteps(rollout, c.cluster(), p);
            } else {
                released.add(rc.clusterId());
            }
            auditOutcome(rollout, c, null, actor);
        }
        leases.release(rolloutId, released);
        rollout.state = RolloutState.RUNNING;
        rollout.message = null;
        rollout.updatedAt = Instant.now();
        announce.rollout(rollout, actor, LifecycleEvent.ROLLOUT_STARTED, rollout.state.name(),
                planned.size() + " clusters to " + rollout.targetVersion);
        advanceRollout(rollout, actor);
    }

    /** The pending rollouts whose probes were asked for longer than {@code timeout} ago. */
    public List<String> pendingLongerThan(Duration timeout) {
        return rollouts.list("state = ?1 and coalesce(startAt, createdAt) < ?2", RolloutState.PENDING,
                        Instant.now().minus(timeout))
                .stream().map(r -> r.id).toList();
    }

    private Rollout newRollout(NewRollout plan, RolloutState state) {
        Rollout rollout = new Rollout();
        rollout.id = plan.id();
        rollout.product = plan.product().id();
        rollout.targetVersion = plan.targetVersion();
        rollout.state = state;
        rollout.selector = plan.selector();
        rollout.maxParallel = plan.maxParallel();
        rollout.maxFailedClusters = plan.maxFailedClusters();
        rollout.waves = plan.waves();
        rollout.currentWave = 1;
        rollout.waveMaxParallel = plan.waves().get(0).maxParallel();
        rollout.waveMaxFailed = plan.waves().get(0).maxFailed();
        rollout.startAt = plan.startAt();
        rollout.gates = plan.gates();
        rollout.followSelector = plan.followSelector();
        rollout.strategyName = plan.strategyName();
        rollout.probe = plan.probe();
        rollout.idempotencyKey = plan.idempotencyKey();
        rollout.requestHash = plan.requestHash();
        rollout.actor = plan.actor();
        rollout.createdAt = Instant.now();
        rollout.updatedAt = rollout.createdAt;
        rollouts.persist(rollout);
        return rollout;
    }

    private void auditRequested(Rollout rollout, NewRollout plan, boolean probing) {
        Map<String, Object> details = new LinkedHashMap<>(Map.of("product", rollout.product,
                "targetVersion", rollout.targetVersion, "clusters", plan.clusters().size(), "maxParallel",
                rollout.maxParallel, "maxFailedClusters", rollout.maxFailedClusters, "selector",
                String.valueOf(plan.selector()), "waves", plan.waves().stream().map(Wave::name).toList(), "probe", probing));
        if (!plan.gates().isEmpty()) {
            details.put("gates", plan.gates().stream().map(Gate::key).toList());
        }
        if (plan.startAt() != null) {
            details.put("startAt", plan.startAt().toString());
        }
        if (plan.strategyName() != null) {
            details.put("strategy", plan.strategyName());
        }
        if (plan.followSelector()) {
            details.put("followSelector", true);
        }
        audit.append(rollout, plan.actor(), "rollout.requested", null, null, details);
    }

    /**
     * Takes the lease of every cluster the rollout may act on. Answers the clusters other rollouts hold, by holder,
     * when the rollout skips them; otherwise refuses the rollout if there is any.
     */
    private Map<String, String> takeLeases(Rollout rollout, List<String> toActOn, boolean skipBusy) {
        Set<String> taken = leases.acquire(rollout.id, toActOn);
        if (taken.size() == toActOn.size()) {
            return Map.of();
        }
        List<BusyCluster> busy = leases.holders(toActOn.stream().filter(id -> !taken.contains(id)).toList());
        if (!skipBusy) {
            throw new ClustersBusyException(busy);
        }
        Map<String, String> holders = new HashMap<>();
        busy.forEach(b -> holders.put(b.clusterId(), b.rolloutId()));
        return holders;
    }

    private RolloutCluster clusterOf(Rollout rollout, PlannedCluster planned, int position, String busyIn) {
        Cluster cluster = planned.cluster();
        RolloutCluster rc = new RolloutCluster();
        rc.key = new RolloutCluster.Key(rollout.id, cluster.id);
        rc.position = position;
        rc.wave = planned.wave();
        rc.fromVersion = cluster.version;
        rc.nodes = cluster.nodes;
        rc.connection = toJson(Announcements.connectionOf(cluster));
        if (busyIn != null) {
            rc.state = ClusterPlanState.SKIPPED;
            rc.refusalCode = RefusalCode.CLUSTER_BUSY.name();
            rc.message = busyMessage(cluster.id, busyIn);
        } else if (planned.outcome() != null) {
            applyOutcome(rc, planned.outcome());
        }
        return rc;
    }

    private static void applyOutcome(RolloutCluster rc, PlanOutcome outcome) {
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
    }

    /**
     * Stores the plan's steps. The first step, and every hop that starts from a running cluster, carries the version
     * the cluster must run when it starts (its pre-flight); a DEPLOY follows an UNDEPLOY, so it has none.
     */
    private void persistSteps(Rollout rollout, Cluster cluster, Plan plan) {
        String running = plan.fromVersion();
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
            step.segment = planned.segment();
            if (planned.seq() == 1 || (planned.kind().isHop() && planned.kind() != StepKind.DEPLOY)) {
                step.preflightVersion = running;
            }
            if (planned.kind().isHop()) {
                running = planned.toVersion();
            }
            step.state = StepState.PENDING;
            steps.persist(step);
        }
    }

    private static String busyMessage(String clusterId, String holder) {
        return "cluster " + clusterId + " belongs to unfinished rollout " + holder + ": skipped";
    }

    private void auditOutcome(Rollout rollout, PlannedCluster planned, String busyIn, String actor) {
        String clusterId = planned.cluster().id;
        if (busyIn != null) {
            audit.append(rollout, actor, "cluster.refused", clusterId, null, Map.of("code",
                    RefusalCode.CLUSTER_BUSY.name(), "message", busyMessage(clusterId, busyIn), "heldBy", busyIn));
        } else if (planned.outcome() instanceof Refusal refusal) {
            audit.append(rollout, actor, "cluster.refused", clusterId, null, Map.of("code", refusal.code().name(),
                    "message", refusal.message()));
        } else {
            Plan plan = (Plan) planned.outcome();
            audit.append(rollout, actor, "cluster.planned", clusterId, null, Map.of("from",
                    String.valueOf(plan.fromVersion()), "to", plan.toVersion(), "steps", plan.steps().size(),
                    "path", plan.path()));
        }
    }

    // ---- people's commands ---------------------------------------------------------------------------------------

    /** {@link Transition#PAUSE}. */
    public Rollout pause(String rolloutId, String actor) {
        Rollout rollout = lockExisting(rolloutId);
        Transition.PAUSE.require(rollout);
        rollout.state = RolloutState.PAUSED;
        rollout.message = finishingSegments(rollout, "pausing");
        rollout.updatedAt = Instant.now();
        audit.append(rollout, actor, "rollout.paused", null, null, Map.of());
        announce.rollout(rollout, actor, LifecycleEvent.ROLLOUT_PAUSED, "PAUSED", "paused by " + actor);
        return rollout;
    }

    /** {@link Transition#RESUME}. */
    public Rollout resume(String rolloutId, String actor) {
        Rollout rollout = lockExisting(rolloutId);
        Transition.RESUME.require(rollout);
        rollout.state = RolloutState.RUNNING;
        rollout.message = null;
        rollout.updatedAt = Instant.now();
        audit.append(rollout, actor, "rollout.resumed", null, null, Map.of());
        announce.rollout(rollout, actor, LifecycleEvent.ROLLOUT_RESUMED, "RUNNING", "resumed by " + actor);
        for (RolloutCluster running : clusters.inState(rollout.id, ClusterPlanState.RUNNING)) {
            RolloutStep current = currentStep(running);
            if (current == null || current.state == StepState.SUCCEEDED) {
                nextStep(running).ifPresent(next -> goOnIfAdmitted(rollout, running, next, actor));
            }
        }
        advanceRollout(rollout, actor);
        return rollout;
    }

    /** {@link Transition#CANCEL}. */
    public Rollout cancel(String rolloutId, String actor) {
        Rollout rollout = lockExisting(rolloutId);
        Transition.CANCEL.require(rollout);
        rollout.updatedAt = Instant.now();
        stop(rollout, RolloutState.CANCELLED, "cancelled by " + actor, actor);
        return rollout;
    }

    /** {@link Transition#APPROVE}: lets a cluster waiting at a MANUAL_APPROVAL step go on. */
    public Rollout approve(String rolloutId, String clusterId, String actor) {
        Rollout rollout = lockExisting(rolloutId);
        RolloutCluster cluster = existingCluster(rolloutId, clusterId);
        Transition.APPROVE.require(cluster);
        if (!security.starterMayApprove() && person(actor).equals(person(rollout.actor))) {
            throw new FourEyesException("the four-eyes rule (stepwise.security.starter-may-approve=false): "
                    + person(actor) + " started rollout " + rolloutId + ", so another approver must approve its steps");
        }
        RolloutStep gate = currentStep(cluster);
        gate.state = StepState.SUCCEEDED;
        gate.finishedAt = Instant.now();
        gate.message = "approved by " + actor;
        cluster.state = ClusterPlanState.RUNNING;
        cluster.message = null;
        rollout.updatedAt = Instant.now();
        audit.append(rollout, actor, "approval.granted", clusterId, gate.seq, Map.of());
        if (advanceCluster(rollout, cluster, gate, actor)) {
            advanceRollout(rollout, actor);
        }
        return rollout;
    }

    /**
     * {@link Transition#GATE_APPROVED}: lets the rollout past the gate it waits at; {@code roles} are the approver's,
     * which must include the gate's role. The starter may not approve (four eyes) unless allowed.
     */
    public Rollout approveGate(String rolloutId, Set<String> roles, String actor) {
        Rollout rollout = lockExisting(rolloutId);
        Transition.GATE_APPROVED.require(rollout);
        if (rollout.pendingGate == null) {
            throw new TransitionRefusedException("rollout " + rolloutId + " is not waiting at a gate");
        }
        Gate gate = rollout.gates.stream().filter(g -> g.key().equals(rollout.pendingGate)).findFirst().orElseThrow();
        if (!roles.contains(gate.role())) {
            throw new FourEyesException("the gate " + gate.key() + " needs the role " + gate.role());
        }
        if (!security.starterMayApprove() && person(actor).equals(person(rollout.actor))) {
            throw new FourEyesException("the four-eyes rule (stepwise.security.starter-may-approve=false): "
                    + person(actor) + " started rollout " + rolloutId + ", so another person must approve its gates");
        }
        rollout.passed = append(rollout.passed, gate.key());
        rollout.pendingGate = null;
        rollout.message = null;
        rollout.updatedAt = Instant.now();
        audit.append(rollout, actor, "gate.approved", null, null, Map.of("gate", gate.key()));
        announce.rollout(rollout, actor, LifecycleEvent.GATE_APPROVED, rollout.state.name(), "gate " + gate.key()
                + " approved by " + actor);
        advanceIfRunning(rollout, actor);
        return rollout;
    }

    /** {@link Transition#SOAK_ENDED} by a person: ends the rollout's soak now. */
    public Rollout endWait(String rolloutId, String actor) {
        Rollout rollout = lockExisting(rolloutId);
        Transition.SOAK_ENDED.require(rollout);
        if (rollout.waitUntil == null) {
            throw new TransitionRefusedException("rollout " + rolloutId + " is not waiting out a soak");
        }
        endSoak(rollout, actor, "ended early by " + actor);
        return rollout;
    }

    /** {@link Transition#SOAK_ENDED} on time: ends the soaks whose time is up; answers how many. */
    public int endDueWaits() {
        List<Rollout> due = rollouts.list("waitUntil <= ?1", clock.instant());
        for (Rollout candidate : due) {
            Rollout rollout = lock(candidate.id);
            rollouts.getEntityManager().refresh(rollout);
            if (rollout.waitUntil != null && !rollout.waitUntil.isAfter(clock.instant())) {
                endSoak(rollout, PLANNER, "soak over");
            }
        }
        return due.size();
    }

    private void endSoak(Rollout rollout, String actor, String why) {
        Wave soaked = rollout.waves.get(rollout.currentWave - 1);
        rollout.passed = append(rollout.passed, soakKey(soaked));
        rollout.waitUntil = null;
        rollout.message = null;
        rollout.updatedAt = Instant.now();
        audit.append(rollout, actor, "soak.ended", null, null, Map.of("wave", soaked.name(), "why", why));
        advanceIfRunning(rollout, actor);
    }

    /**
     * {@link Transition#DEFERRED}: clusters that waited to begin their next segment (a freeze, outside a maintenance
     * window) are asked again; answers how many went on.
     */
    public int admitDeferred() {
        int went = 0;
        for (RolloutCluster candidate : clusters.deferred()) {
            Rollout rollout = lock(candidate.rolloutId());
            RolloutCluster cluster = clusters.find(candidate.rolloutId(), candidate.clusterId());
            clusters.getEntityManager().refresh(cluster);
            if (cluster.deferred == null || cluster.state != ClusterPlanState.RUNNING
                    || rollout.state != RolloutState.RUNNING) {
                continue;
            }
            Optional<RolloutStep> next = nextStep(cluster);
            if (next.isEmpty()) {
                continue;
            }
            if (!goOnIfAdmitted(rollout, cluster, next.get(), PLANNER)) {
                advanceRollout(rollout, PLANNER);
            }
            if (cluster.deferred == null) {
                rollout.updatedAt = Instant.now(); // watchers (the console's page among them) see it go on
                went++;
            }
        }
        return went;
    }

    private void advanceIfRunning(Rollout rollout, String actor) {
        if (rollout.state == RolloutState.RUNNING) {
            advanceRollout(rollout, actor);
        }
    }

    private static List<String> append(List<String> list, String item) {
        List<String> longer = new ArrayList<>(list);
        longer.add(item);
        return longer;
    }

    /**
     * {@link Transition#RETRY}: sends a failed cluster's failed step again as a new attempt (the executor runs each
     * attempt once; its handlers adopt what an earlier attempt did). Clusters an earlier stop cancelled stay so.
     */
    public Rollout retry(String rolloutId, String clusterId, String actor) {
        Rollout rollout = lockExisting(rolloutId);
        RolloutCluster cluster = existingCluster(rolloutId, clusterId);
        Transition.RETRY.require(cluster);
        Transition.RETRY.require(rollout);
        RolloutStep failed = currentStep(cluster);
        if (failed == null || failed.state != StepState.FAILED) {
            throw new TransitionRefusedException("cluster " + clusterId + " has no failed step to retry (it failed "
                    + "outside a step: " + cluster.message + ")");
        }
        if (rollout.state.isTerminal()) {
            if (rollout.finishedAt != null && leases.acquire(rollout.id, List.of(clusterId)).isEmpty()) {
                throw new ClustersBusyException(leases.holders(List.of(clusterId)));
            }
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
        // a timed-out backup may still have succeeded, and the retry adopts it; one that failed cannot be adopted
        if (failed.kind == StepKind.BACKUP && !TIMED_OUT.equals(failed.errorCode)) {
            renameBackup(cluster, failed);
        }
        failed.state = StepState.PENDING;
        failed.error = null;
        failed.errorCode = null;
        failed.message = null;
        failed.startedAt = null;
        failed.finishedAt = null;
        if (failed.endedAttempt >= failed.attempts) {
            dispatch(rollout, cluster, failed, actor);
        } else {
            // the executor has not reported the last attempt's end (a timeout asked it to stop): start once it has
            failed.retryQueuedAt = Instant.now();
            cluster.message = "the retry starts once attempt " + failed.attempts + " has stopped";
        }
        return rollout;
    }

    // ---- the executor's reports ----------------------------------------------------------------------------------

    /**
     * Locks the rollouts these status events are about, in id order, before any is applied: two planners applying
     * polls that share rollouts never wait on each other in a cycle.
     */
    public void lockRolloutsOf(List<StepStatus> statuses, List<ProbeResult> probed) {
        Stream.concat(statuses.stream().map(StepStatus::rolloutId), probed.stream().map(p -> rolloutOfProbe(p.probeId())))
                .filter(Objects::nonNull).distinct().sorted().forEach(this::lock);
    }

    /**
     * Applies status events in order ({@link Transition#STARTED}, {@link Transition#SUCCEEDED},
     * {@link Transition#FAILED}, {@link Transition#IGNORED}); a rollout whose clusters ended is advanced once, after
     * all of them. Answers how many were applied (the others were stale or about unknown steps).
     */
    public int onStatuses(List<StepStatus> statuses, String actor) {
        loadTogether(statuses);
        Set<Rollout> clusterEnded = new LinkedHashSet<>();
        int applied = 0;
        for (StepStatus status : statuses) {
            if (onStatus(status, actor, clusterEnded)) {
                applied++;
            }
        }
        clusterEnded.forEach(rollout -> advanceRollout(rollout, actor));
        return applied;
    }

    /**
     * For each rollout with several of these events, loads their steps and the steps they may lead to in one query,
     * and their clusters in another, instead of a few queries per event.
     */
    private void loadTogether(List<StepStatus> statuses) {
        statuses.stream().filter(s -> s.rolloutId() != null && s.clusterId() != null)
                .collect(Collectors.groupingBy(StepStatus::rolloutId))
                .forEach((rolloutId, ofRollout) -> {
                    if (ofRollout.size() >= LOAD_TOGETHER_FROM) {
                        Set<String> ids = new HashSet<>();
                        Set<String> clusterIds = new HashSet<>();
                        for (StepStatus status : ofRollout) {
                            ids.add(status.stepId());
                            ids.add(RolloutStep.idOf(rolloutId, status.clusterId(), status.seq() + 1));
                            clusterIds.add(status.clusterId());
                        }
                        steps.load(ids);
                        clusters.load(rolloutId, clusterIds);
                        inventory.load(clusterIds); // what the safe points ask of each (holds, windows)
                    }
                });
    }

    private boolean onStatus(StepStatus status, String actor, Set<Rollout> clusterEnded) {
        RolloutStep probe = steps.findById(status.stepId());
        if (probe == null) {
            Log.warnf("Status for unknown step %s ignored", status.stepId());
            return false;
        }
        Rollout rollout = lock(probe.rolloutId);
        RolloutStep step = steps.findById(status.stepId());
        Instant now = Instant.now();
        if (status.state() != null && status.state().isTerminal()) {
            step.endedAttempt = Math.max(step.endedAttempt, status.attempt());
        }
        if (status.attempt() != step.attempts || step.state.isTerminal() || step.retryQueuedAt != null) {
            audit.append(rollout, actor, "step.status.ignored", step.clusterId, step.seq, Map.of(
                    "state", String.valueOf(status.state()), "attempt", status.attempt(),
                    "why", step.retryQueuedAt != null ? "attempt " + status.attempt() + " of a step being retried"
                            : step.state.isTerminal() ? "step already " + step.state : "stale attempt"));
            if (step.retryQueuedAt != null && step.endedAttempt >= step.attempts) {
                startQueuedRetry(rollout, step, actor);
            }
            rollout.updatedAt = now;
            return false;
        }
        step.lastStatusAt = now;
        switch (status.state()) {
            case RUNNING -> {
                if (step.startedAt == null) {
                    step.startedAt = status.at() == null ? now : status.at();
                    audit.append(rollout, actor, "step.started", step.clusterId, step.seq, details(status));
                }
                step.state = StepState.RUNNING;
                step.message = status.message();
            }
            case SUCCEEDED -> {
                endStep(step, StepState.SUCCEEDED, status.message(), status.at(), now);
                audit.append(rollout, actor, "step.succeeded", step.clusterId, step.seq, details(status));
                RolloutCluster cluster = clusters.find(step.rolloutId, step.clusterId);
                recordVerifiedVersion(step, cluster);
                if (advanceCluster(rollout, cluster, step, actor)) {
                    clusterEnded.add(rollout);
                }
            }
            case FAILED -> {
                step.errorCode = status.errorCode();
                failStep(rollout, step, status.message(), status.at(), now, actor, details(status));
                clusterEnded.add(rollout);
            }
            default -> Log.debugf("Status %s of step %s needs no action", status.state(), step.stepId);
        }
        rollout.updatedAt = now;
        return true;
    }

    /**
     * {@link Transition#TIMED_OUT}: fails the steps the executor has been silent about for longer than
     * {@code timeout} (a running step reports at least every heartbeat), each under its rollout's lock, and asks the
     * executor to stop that attempt. Answers how many timed out.
     */
    public int failSilentSteps(Duration timeout) {
        Instant limit = Instant.now().minus(timeout);
        List<RolloutStep> silent = steps.list("state in ?1 and coalesce(lastStatusAt, dispatchedAt) < ?2"
                + " and kind <> ?3", List.of(StepState.DISPATCHED, StepState.RUNNING), limit, StepKind.MANUAL_APPROVAL);
        int failed = 0;
        for (RolloutStep candidate : silent) {
            Rollout rollout = lock(candidate.rolloutId);
            RolloutStep step = steps.findById(candidate.stepId);
            steps.getEntityManager().refresh(step);
            Instant last = step.lastStatusAt != null ? step.lastStatusAt : step.dispatchedAt;
            if ((step.state != StepState.DISPATCHED && step.state != StepState.RUNNING) || !last.isBefore(limit)) {
                continue; // a status arrived while this rollout's lock was awaited
            }
            Instant now = Instant.now();
            String why = "no status from the executor for " + describe(timeout)
                    + " (stepwise.rollouts.step-timeout): the step timed out and its attempt is being stopped";
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("attempt", step.attempts);
            details.put("state", StepState.FAILED.name());
            details.put("message", why);
            step.errorCode = TIMED_OUT;
            failStep(rollout, step, why, null, now, PLANNER, details);
            announce.stepCancel(rollout, step, "the planner timed the step out");
            rollout.updatedAt = now;
            advanceRollout(rollout, PLANNER);
            failed++;
        }
        return failed;
    }

    /**
     * Starts the retries that have waited longer than {@code grace} for the attempt before them to end: an executor
     * that never answers has lost its lease by then, and the executors start no attempt while another one holds the
     * cluster. Answers how many started.
     */
    public int startOverdueRetries(Duration grace) {
        List<RolloutStep> waiting = steps.list("retryQueuedAt < ?1", Instant.now().minus(grace));
        int started = 0;
        for (RolloutStep candidate : waiting) {
            Rollout rollout = lock(candidate.rolloutId);
            RolloutStep step = steps.findById(candidate.stepId);
            steps.getEntityManager().refresh(step);
            if (step.retryQueuedAt != null) {
                audit.append(rollout, PLANNER, "step.retry.overdue", step.clusterId, step.seq, Map.of("attempt",
                        step.attempts, "why", "no end of attempt " + step.attempts + " reported within " + describe(grace)));
                startQueuedRetry(rollout, step, PLANNER);
                started++;
            }
        }
        return started;
    }

    private void startQueuedRetry(Rollout rollout, RolloutStep step, String actor) {
        step.retryQueuedAt = null;
        RolloutCluster cluster = clusters.find(step.rolloutId, step.clusterId);
        cluster.message = null;
        dispatch(rollout, cluster, step, actor);
    }

    private static String describe(Duration d) {
        return d.toMinutes() > 0 ? d.toMinutes() + " minutes" : d.toSeconds() + " seconds";
    }

    // ---- moving clusters and the rollout on ----------------------------------------------------------------------

    /**
     * After a step of the cluster succeeded: dispatches its next step, or ends the cluster. A step inside a segment
     * leads to the next one even while the rollout pauses or has ended: a segment runs to its end once begun.
     * Answers whether the cluster ended: only then can places free up or the rollout end ({@link #advanceRollout}).
     */
    private boolean advanceCluster(Rollout rollout, RolloutCluster cluster, RolloutStep done, String actor) {
        Optional<RolloutStep> next = nextStep(cluster);
        boolean insideSegment = next.isPresent() && done.segment != null && done.segment.equals(next.get().segment);
        if (insideSegment) {
            dispatch(rollout, cluster, next.get(), actor);
        } else if (rollout.state.isTerminal() && next.isPresent()) {
            endCluster(rollout, cluster, ClusterPlanState.CANCELLED, "stopped: the rollout is " + rollout.state, actor);
        } else if (next.isEmpty()) {
            cluster.state = ClusterPlanState.SUCCEEDED;
            cluster.finishedAt = Instant.now();
            cluster.message = "at " + cluster.toVersion;
            audit.append(rollout, actor, "cluster.succeeded", cluster.clusterId(), null, Map.of("version",
                    String.valueOf(cluster.toVersion)));
            announce.cluster(rollout, actor, cluster.clusterId(), LifecycleEvent.CLUSTER_SUCCEEDED, "SUCCEEDED",
                    cluster.message);
        } else if (rollout.state == RolloutState.RUNNING) {
            goOnIfAdmitted(rollout, cluster, next.get(), actor);
        }
        // PAUSED: the next step waits for resume
        return cluster.state.isTerminal();
    }

    /**
     * After clusters ended, or the rollout started or resumed: {@link Transition#WAVE_ENTERED} when the current wave
     * has ended, {@link Transition#CLUSTER_STARTED} while places are free, {@link Transition#FINISHED} once every
     * cluster ended. One query answers all three.
     */
    private void advanceRollout(Rollout rollout, String actor) {
        Progress progress = clusters.progress(rollout.id);
        if (rollout.state == RolloutState.RUNNING && enterNextWaveIfDue(rollout, progress.lowestOpenWave(), actor)) {
            startWaiting(rollout, progress.active(), actor);
        }
        // clusters started just now make the answer stale, but only when some were waiting: then it is not done
        finishIfDone(rollout, progress, actor);
    }

    private void startWaiting(Rollout rollout, long active, String actor) {
        int maxParallel = rollout.waveMaxParallel != null ? rollout.waveMaxParallel : rollout.maxParallel;
        if (active >= maxParallel) {
            return;
        }
        boolean stopped = false;
        for (RolloutCluster waiting : clusters.firstWaiting(rollout.id, rollout.currentWave,
                (int) (maxParallel - active))) {
            waiting.state = ClusterPlanState.RUNNING;
            waiting.startedAt = Instant.now();
            announce.cluster(rollout, actor, waiting.clusterId(), LifecycleEvent.CLUSTER_STARTED, "RUNNING",
                    waiting.fromVersion + " → " + waiting.toVersion);
            audit.append(rollout, actor, "cluster.started", waiting.clusterId(), null, Map.of());
            stopped |= !goOnIfAdmitted(rollout, waiting, nextStep(waiting).orElseThrow(), actor);
        }
        if (stopped) {
            advanceRollout(rollout, actor); // a held or removed cluster freed its place at once
        }
    }

    /**
     * At a safe point: dispatches the cluster's next step if it may begin its next segment now; a held or removed
     * cluster ends there, one in a freeze or outside its window waits ({@code deferred}) for the calendar's check.
     * Answers false when the cluster ended.
     */
    private boolean goOnIfAdmitted(Rollout rollout, RolloutCluster cluster, RolloutStep next, String actor) {
        SegmentAdmission.Decision decision = admission.decide(rollout.id, cluster.clusterId(), next);
        switch (decision.kind()) {
            case GO -> {
                if (cluster.deferred != null) {
                    cluster.deferred = null;
                    cluster.message = null;
                }
                dispatch(rollout, cluster, next, actor);
                return true;
            }
            case DEFERRED -> {
                if (!decision.why().equals(cluster.deferred)) {
                    audit.append(rollout, actor, "cluster.deferred", cluster.clusterId(), next.seq,
                            Map.of("reason", decision.why()));
                }
                cluster.deferred = decision.why();
                cluster.message = "before step " + next.seq + ": " + decision.why();
                return true;
            }
            default -> {
                stopAtSafePoint(rollout, cluster, decision, actor);
                return false;
            }
        }
    }

    /** A cluster held or removed stops where it is, between segments: SKIPPED (HELD) or CANCELLED (REMOVED). */
    private void stopAtSafePoint(Rollout rollout, RolloutCluster cluster, SegmentAdmission.Decision decision,
                                 String actor) {
        boolean held = decision.kind() == SegmentAdmission.Decision.Kind.HELD;
        String where = cluster.currentSeq == 0 ? "before its first step"
                : "after step " + cluster.currentSeq + " of its plan";
        cluster.state = held ? ClusterPlanState.SKIPPED : ClusterPlanState.CANCELLED;
        cluster.refusalCode = held ? RefusalCode.HELD.name() : RefusalCode.REMOVED.name();
        cluster.message = decision.why() + "; stopped " + where;
        cluster.deferred = null;
        cluster.finishedAt = Instant.now();
        leases.release(rollout.id, List.of(cluster.clusterId()));
        audit.append(rollout, actor, held ? "cluster.held" : "cluster.removed", cluster.clusterId(), null,
                Map.of("reason", cluster.message));
        announce.cluster(rollout, actor, cluster.clusterId(), held ? LifecycleEvent.CLUSTER_SKIPPED
                : LifecycleEvent.CLUSTER_CANCELLED, cluster.state.name(), cluster.message);
    }

    /**
     * Makes the lowest wave with a cluster not ended the current one (waves whose clusters all ended before they
     * started are passed over). Answers false when the rollout pauses there because the ended wave asked for it.
     */
    private boolean enterNextWaveIfDue(Rollout rollout, Integer open, String actor) {
        if (rollout.pendingGate != null || rollout.waitUntil != null) {
            return false;
        }
        if (open == null) {
            return true;
        }
        if (open <= rollout.currentWave) {
            return !waitsAtGate(rollout, Gate.BEFORE, rollout.currentWave, actor);
        }
        List<Wave> waves = rollout.waves;
        Wave ended = waves.get(rollout.currentWave - 1);
        Wave next = waves.get(open - 1);
        if (waitsAtGate(rollout, Gate.AFTER, rollout.currentWave, actor) || soaks(rollout, ended, next, actor)) {
            return false;
        }
        rollout.currentWave = open;
        rollout.waveMaxParallel = next.maxParallel();
        rollout.waveMaxFailed = next.maxFailed();
        audit.append(rollout, actor, "wave.finished", null, null, Map.of("wave", ended.name(), "next", next.name()));
        if (ended.pauseAfter()) {
            rollout.state = RolloutState.PAUSED;
            rollout.message = "wave '" + ended.name() + "' has finished; resume to start wave '" + next.name() + "'";
            audit.append(rollout, actor, "rollout.paused", null, null, Map.of("reason", rollout.message));
            announce.rollout(rollout, actor, LifecycleEvent.ROLLOUT_PAUSED, RolloutState.PAUSED.name(), rollout.message);
            return false;
        }
        return !waitsAtGate(rollout, Gate.BEFORE, open, actor);
    }

    /**
     * {@link Transition#GATE_PENDING}: answers whether the rollout waits at the gate {@code when} the given wave,
     * announcing it the first time.
     */
    private boolean waitsAtGate(Rollout rollout, String when, int wave, String actor) {
        if (rollout.gates.isEmpty()) {
            return false;
        }
        String waveName = rollout.waves.get(wave - 1).name();
        Optional<Gate> gate = rollout.gates.stream().filter(g -> g.when().equals(when) && g.wave().equals(waveName))
                .findFirst();
        if (gate.isEmpty() || rollout.passed.contains(gate.get().key())) {
            return false;
        }
        rollout.pendingGate = gate.get().key();
        rollout.message = "waiting at the gate " + when + " wave '" + waveName + "': an " + gate.get().role()
                + " approves it to go on";
        rollout.updatedAt = Instant.now();
        audit.append(rollout, actor, "gate.pending", null, null, Map.of("gate", gate.get().key(), "role",
                gate.get().role()));
        announce.rollout(rollout, actor, LifecycleEvent.GATE_PENDING, rollout.state.name(), rollout.message);
        return true;
    }

    /** {@link Transition#SOAK}: answers whether the rollout now waits out the ended wave's {@code waitAfter}. */
    private boolean soaks(Rollout rollout, Wave ended, Wave next, String actor) {
        if (ended.waitAfter() == null || rollout.passed.contains(soakKey(ended))) {
            return false;
        }
        rollout.waitUntil = clock.instant().plus(ended.soak()).truncatedTo(ChronoUnit.SECONDS);
        rollout.message = "wave '" + ended.name() + "' has finished; soaking " + ended.waitAfter() + " until "
                + rollout.waitUntil + " before wave '" + next.name() + "'";
        rollout.updatedAt = Instant.now();
        audit.append(rollout, actor, "soak.started", null, null, Map.of("wave", ended.name(), "until",
                rollout.waitUntil.toString()));
        announce.rollout(rollout, actor, LifecycleEvent.ROLLOUT_WAITING, rollout.state.name(), rollout.message);
        return true;
    }

    private static String soakKey(Wave wave) {
        return "soak:" + wave.name();
    }

    /** {@link Transition#DISPATCHED}: sends one step to the executor, or stops the cluster at a manual gate. */
    private void dispatch(Rollout rollout, RolloutCluster cluster, RolloutStep step, String actor) {
        cluster.currentSeq = step.seq;
        step.attempts++;
        step.dispatchedAt = Instant.now();
        step.lastStatusAt = null; // a new attempt is timed on its own silence, not on the one before it
        if (step.kind == StepKind.MANUAL_APPROVAL) {
            step.state = StepState.RUNNING;
            step.startedAt = step.dispatchedAt;
            cluster.state = ClusterPlanState.AWAITING_APPROVAL;
            cluster.message = "waiting for approval: " + step.reason;
            audit.append(rollout, actor, "approval.requested", cluster.clusterId(), step.seq,
                    Map.of("reason", step.reason));
            return;
        }
        step.state = StepState.DISPATCHED;
        announce.stepRequested(rollout, cluster, step);
        metrics.dispatched(step.kind);
        audit.append(rollout, actor, "step.dispatched", cluster.clusterId(), step.seq, Map.of(
                "kind", step.kind.name(), "toVersion", String.valueOf(step.toVersion), "attempt", step.attempts));
    }

    /** Ends a step as FAILED and its cluster with it, then applies the failure policy. */
    private void failStep(Rollout rollout, RolloutStep step, String why, Instant at, Instant now, String actor,
                          Map<String, Object> details) {
        endStep(step, StepState.FAILED, why, at, now);
        step.error = why;
        audit.append(rollout, actor, "step.failed", step.clusterId, step.seq, details);
        RolloutCluster cluster = clusters.find(step.rolloutId, step.clusterId);
        endCluster(rollout, cluster, ClusterPlanState.FAILED, "step " + step.seq + " (" + step.kind + ") failed: "
                + why, actor);
        long failed = clusters.countIn(rollout.id, ClusterPlanState.FAILED);
        if (!rollout.state.isTerminal() && failed >= rollout.maxFailedClusters) {
            stop(rollout, RolloutState.FAILED, failed + " cluster(s) failed, the failure policy allows "
                    + rollout.maxFailedClusters + ": no further clusters are started", actor);
        } else if (!rollout.state.isTerminal() && rollout.waveMaxFailed != null && cluster.wave == rollout.currentWave
                && clusters.countIn(rollout.id, cluster.wave, ClusterPlanState.FAILED) >= rollout.waveMaxFailed) {
            stop(rollout, RolloutState.FAILED, "the current wave's failure policy allows " + rollout.waveMaxFailed
                    + " failed cluster(s), and as many failed: no further clusters are started", actor);
        }
    }

    private void endStep(RolloutStep step, StepState state, String message, Instant at, Instant now) {
        step.state = state;
        step.message = message;
        step.finishedAt = at == null ? now : at;
        if (step.startedAt == null) {
            step.startedAt = step.finishedAt;
        }
        metrics.finished(step.kind, state, step.startedAt, step.finishedAt);
    }

    /**
     * Ends the rollout early: nothing new starts; a cluster with a step in flight ends when the step ends, or, inside a
     * segment, when the segment ends. A person's cancel also asks the executor to stop steps in flight outside a
     * segment at their next safe poll.
     */
    private void stop(Rollout rollout, RolloutState state, String why, String actor) {
        rollout.state = state;
        audit.append(rollout, actor, "rollout." + state.name().toLowerCase(), null, null, Map.of("reason", why));
        for (RolloutCluster c : clusters.ofRollout(rollout.id)) {
            if (c.state == ClusterPlanState.WAITING) {
                endCluster(rollout, c, ClusterPlanState.CANCELLED, "not started: " + why, actor);
            } else if (c.state == ClusterPlanState.RUNNING || c.state == ClusterPlanState.AWAITING_APPROVAL) {
                RolloutStep current = currentStep(c);
                if (!inFlight(c)) {
                    if (current != null && current.retryQueuedAt != null) {
                        current.retryQueuedAt = null;
                    }
                    endCluster(rollout, c, ClusterPlanState.CANCELLED, "stopped before its next step: " + why, actor);
                } else if (state == RolloutState.CANCELLED && current.segment == null) {
                    announce.stepCancel(rollout, current, why);
                }
            }
        }
        String finishing = finishingSegments(rollout, state == RolloutState.CANCELLED ? "cancelling" : "stopping");
        rollout.message = finishing == null ? why : why + "; " + finishing;
        finishIfDone(rollout, clusters.progress(rollout.id), actor);
    }

    /**
     * "pausing: prod-1 finishes its migration 1.8.8 → 1.9.0 (P3) first, up to step 9": the clusters inside a
     * segment, which run it to its end before the pause or cancel reaches them; null when there is none.
     */
    private String finishingSegments(Rollout rollout, String doing) {
        List<String> finishing = new ArrayList<>();
        for (RolloutCluster c : clusters.inState(rollout.id, ClusterPlanState.RUNNING)) {
            RolloutStep current = currentStep(c);
            if (current != null && current.segment != null && inFlight(c)) {
                finishing.add(c.clusterId() + " finishes its " + current.segment + " first, up to step "
                        + steps.lastOfSegment(rollout.id, c.clusterId(), current.segment));
            }
        }
        if (finishing.isEmpty()) {
            return null;
        }
        return doing + ": " + String.join("; ", finishing.stream().limit(20).toList())
                + (finishing.size() > 20 ? "; and " + (finishing.size() - 20) + " more" : "");
    }

    /** {@link Transition#FINISHED}, once every cluster ended (counted, not loaded: rollouts have thousands). */
    private void finishIfDone(Rollout rollout, Progress progress, String actor) {
        if (rollout.finishedAt != null || !progress.allEnded()) {
            return;
        }
        Map<ClusterPlanState, Long> counts = clusters.tally(rollout.id).byState();
        String summary = summary(counts);
        if (!rollout.state.isTerminal()) {
            // CANCELLED clusters here are those an earlier stop cancelled before a retry reopened the rollout, or
            // clusters deleted from the inventory meanwhile, which are no failure of the rollout
            long cancelled = counts.get(ClusterPlanState.CANCELLED);
            if (cancelled > 0) {
                cancelled -= clusters.countRefused(rollout.id, ClusterPlanState.CANCELLED, RefusalCode.REMOVED.name());
            }
            rollout.state = counts.get(ClusterPlanState.FAILED) + cancelled > 0
                    ? RolloutState.FAILED : RolloutState.SUCCEEDED;
            if (rollout.message == null) {
                rollout.message = summary;
            }
        }
        rollout.finishedAt = Instant.now();
        leases.release(rollout.id);
        audit.append(rollout, actor, "rollout.finished", null, null, Map.of("state", rollout.state.name(),
                "summary", summary));
        announce.rollout(rollout, actor, LifecycleEvent.ROLLOUT_FINISHED, rollout.state.name(), summary);
    }

    private void endCluster(Rollout rollout, RolloutCluster cluster, ClusterPlanState state, String why,
                            String actor) {
        if (cluster.state.isTerminal()) {
            return;
        }
        cluster.state = state;
        cluster.message = why;
        cluster.finishedAt = Instant.now();
        audit.append(rollout, actor, "cluster." + state.name().toLowerCase(), cluster.clusterId(), null,
                Map.of("reason", why));
        announce.cluster(rollout, actor, cluster.clusterId(), state == ClusterPlanState.FAILED ? LifecycleEvent.CLUSTER_FAILED
                : LifecycleEvent.CLUSTER_CANCELLED, state.name(), why);
    }

    /** A verified hop is a fact about the cluster: the inventory keeps it even if the rollout stops later. */
    private void recordVerifiedVersion(RolloutStep step, RolloutCluster cluster) {
        if (step.kind == StepKind.VERIFY && step.toVersion != null) {
            Cluster registered = inventory.findById(cluster.clusterId());
            if (registered != null) {
                registered.version = step.toVersion;
                registered.updatedAt = Instant.now();
            }
        }
    }

    private boolean inFlight(RolloutCluster cluster) {
        RolloutStep current = currentStep(cluster);
        return current != null && (current.state == StepState.DISPATCHED
                || (current.state == StepState.RUNNING && current.kind != StepKind.MANUAL_APPROVAL));
    }

    private RolloutStep currentStep(RolloutCluster cluster) {
        return cluster.currentSeq == 0 ? null : steps.find(cluster.rolloutId(), cluster.clusterId(), cluster.currentSeq);
    }

    private Optional<RolloutStep> nextStep(RolloutCluster cluster) {
        return Optional.ofNullable(steps.find(cluster.rolloutId(), cluster.clusterId(), cluster.currentSeq + 1));
    }

    /** The person behind an actor: "alice" for "alice (via cmdb-sync)". */
    private static String person(String actor) {
        int via = actor == null ? -1 : actor.indexOf(" (via ");
        return via < 0 ? String.valueOf(actor) : actor.substring(0, via);
    }

    private Rollout lock(String rolloutId) {
        return rollouts.findById(rolloutId, LockModeType.PESSIMISTIC_WRITE);
    }

    private Rollout lockExisting(String rolloutId) {
        Rollout rollout = rolloutId == null ? null : lock(rolloutId);
        if (rollout == null) {
            throw new NotFoundException("no rollout '" + rolloutId + "'");
        }
        return rollout;
    }

    private RolloutCluster existingCluster(String rolloutId, String clusterId) {
        RolloutCluster cluster = clusterId == null ? null : clusters.find(rolloutId, clusterId);
        if (cluster == null) {
            throw new NotFoundException("cluster '" + clusterId + "' is not part of rollout " + rolloutId);
        }
        return cluster;
    }

    private static Map<String, Object> details(StepStatus status) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("attempt", status.attempt());
        details.put("state", String.valueOf(status.state()));
        if (status.observedVersion() != null) {
            details.put("observedVersion", status.observedVersion());
        }
        if (status.message() != null) {
            details.put("message", status.message());
        }
        return details;
    }

    /** "12 clusters: 10 succeeded, 2 failed" (states in declaration order, empty ones left out). */
    static String summary(Map<ClusterPlanState, Long> counts) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        return total + " clusters: " + String.join(", ", counts.entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase()).toList());
    }

    /**
     * A retried backup gets an id of its own: Weaviate never reuses one, so the failed backup's id would fail again.
     * The later steps that restore from it follow.
     */
    private void renameBackup(RolloutCluster cluster, RolloutStep backup) {
        Map<String, Object> params = paramsOf(backup);
        if (!(params.get("backupId") instanceof String old)) {
            return;
        }
        String renamed = old.replaceFirst("-r\\d+$", "") + "-r" + (backup.attempts + 1);
        params.put("backupId", renamed);
        backup.params = toJson(params);
        for (RolloutStep later : steps.after(cluster.rolloutId(), cluster.clusterId(), backup.seq)) {
            Map<String, Object> laterParams = paramsOf(later);
            if (old.equals(laterParams.get("backupId"))) {
                laterParams.put("backupId", renamed);
                later.params = toJson(laterParams);
            }
        }
    }

    private Map<String, Object> paramsOf(RolloutStep step) {
        if (step.params == null || step.params.isBlank()) {
            return new LinkedHashMap<>();
        }
        try {
            return json.readValue(step.params, PARAMS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("step " + step.stepId + " holds unreadable params", e);
        }
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON", e);
        }
    }
}
