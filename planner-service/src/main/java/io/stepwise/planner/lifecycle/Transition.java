package io.stepwise.planner.lifecycle;

import static io.stepwise.model.RolloutState.CANCELLED;
import static io.stepwise.model.RolloutState.PAUSED;
import static io.stepwise.model.RolloutState.PENDING;
import static io.stepwise.model.RolloutState.RUNNING;

import io.stepwise.model.ClusterPlanState;
import io.stepwise.model.RolloutState;
import io.stepwise.planner.domain.Rollout;
import io.stepwise.planner.domain.RolloutCluster;
import io.stepwise.planner.domain.TransitionRefusedException;
import java.util.EnumSet;
import java.util.Set;

/**
 * The rules of a rollout's life, one row per event: when it is accepted and what it does. {@link RolloutLifecycle}
 * performs them; the README's table is {@link #table()} (a test keeps the two the same). An event that people send
 * in a state its row does not accept is refused with a {@link TransitionRefusedException}.
 */
public enum Transition {

    CREATED("created", "a valid request none of whose clusters is held by another unfinished rollout (else 409"
            + " naming them; with busyClusters skip they are SKIPPED with CLUSTER_BUSY)", "with probing (the"
            + " default): rollout PENDING, holding its clusters' leases, each cluster WAITING while the executor reads"
            + " what it runs; without: as probed below, from the inventory's facts: each cluster WAITING, SKIPPED"
            + " when refused, SUCCEEDED when already at the target, every step PENDING, the first wave's clusters"
            + " start; a cluster on hold is SKIPPED with HELD"),
    SCHEDULED("scheduled", "a valid request whose startAt is in the future", "rollout SCHEDULED, holding its"
            + " clusters' leases (busy and held ones as when created), each cluster WAITING, nothing planned yet"),
    SCHEDULE_REACHED("schedule reached", "rollout SCHEDULED, its startAt passed (the calendar check)",
            "rollout PENDING: probed and planned as a rollout created now (probed below)"),
    PROBED("probed", "rollout PENDING, every cluster it probes answered, or stepwise.rollouts.probe-timeout passed",
            "each probed cluster planned from the version and node count found (a difference from the inventory"
                    + " corrects it, in the audit trail); a cluster that could not be read or did not answer is"
                    + " SKIPPED with PRECONDITION_FAILED; rollout RUNNING"),
    JOINED("cluster joined", "a cluster registered while a rollout with followSelector, of its product, is not"
            + " finished, matching its selector", "the cluster joins the last wave: planned from its registration if"
            + " the rollout is RUNNING or PAUSED, else WAITING to be probed or planned with the others; SKIPPED with"
            + " CLUSTER_BUSY if another rollout holds it"),
    CLUSTER_STARTED("cluster started", "rollout RUNNING and at no gate or soak, fewer than maxParallel clusters"
            + " running (the current wave's own, from a count or a percentage of its clusters, else the rollout's), a"
            + " cluster WAITING in the current wave (in selection order)", "cluster RUNNING; its first step is"
            + " dispatched if admitted (safe point below)"),
    SAFE_POINT("safe point", "a cluster is to begin its next segment (its first step, or the step after a segment"
            + " or a step outside one)", "dispatched if admitted; a cluster deleted from the inventory ends"
            + " CANCELLED (REMOVED), one on hold ends SKIPPED (HELD), both where they stand and giving their lease"
            + " back; during a freeze, or when its next segment's estimated duration fits none of its maintenance"
            + " windows now, it stays RUNNING and deferred, with the reason"),
    DEFERRED("deferral ends", "a deferred cluster, rollout RUNNING (the calendar check)", "asked again as at a safe"
            + " point"),
    DISPATCHED("step dispatched", "the cluster's step before it SUCCEEDED (or a retry)",
            "step DISPATCHED as a new attempt and sent to the executor, with the version the cluster must run when it"
                    + " starts for a first step or a hop (checked by the executor before it changes anything); a"
                    + " MANUAL_APPROVAL step instead becomes RUNNING and its cluster AWAITING_APPROVAL"),
    STARTED("step started / progress", "step DISPATCHED or RUNNING, status of its current attempt",
            "step RUNNING with the executor's latest message; any status, heartbeats too, resets the step's silence"),
    SUCCEEDED("step succeeded", "step not ended, status of its current attempt",
            "step SUCCEEDED (a VERIFY records the cluster's version in the inventory); then the cluster's next step"
                    + " is dispatched if the rollout is RUNNING (at a safe point, if admitted) or the next step continues the step's segment (a"
                    + " migration runs to its end once begun); otherwise the cluster waits while PAUSED, SUCCEEDED"
                    + " after its last step, or CANCELLED if the rollout has ended"),
    FAILED("step failed", "step not ended, status of its current attempt",
            "step FAILED, cluster FAILED; once maxFailedClusters clusters failed, or as many of the current wave"
                    + " as its own maxFailed, the rollout FAILED (as cancel below, without a person)"),
    TIMED_OUT("step timed out", "step DISPATCHED or RUNNING (not MANUAL_APPROVAL) with no status, heartbeats"
            + " included, for stepwise.rollouts.step-timeout", "as step failed, with error code TIMED_OUT; the"
            + " executor is asked to stop that attempt"),
    IGNORED("stale status", "a status of an ended step, of an earlier attempt, or of the attempt a queued retry"
            + " waits for", "nothing changes but the record of which attempts ended (a queued retry starts when its"
            + " attempt's end arrives); the audit trail records that it was ignored"),
    PAUSE("pause", "rollout RUNNING", "rollout PAUSED: running steps finish, clusters inside a segment run it to"
            + " its end (the rollout's message names them), no other step or cluster starts", EnumSet.of(RUNNING)),
    RESUME("resume", "rollout PAUSED", "rollout RUNNING; clusters whose step ended meanwhile get their next step;"
            + " waiting clusters start", EnumSet.of(PAUSED)),
    CANCEL("cancel", "rollout SCHEDULED, PENDING, RUNNING or PAUSED", "rollout CANCELLED; WAITING clusters and clusters with"
            + " no step in flight CANCELLED; a step in flight outside a segment is asked to stop at its next safe"
            + " poll, and its cluster ends with it; a cluster inside a segment ends when the segment does",
            EnumSet.of(RolloutState.SCHEDULED, PENDING, RUNNING, PAUSED)),
    APPROVE("approve", "cluster AWAITING_APPROVAL, by an approver other than the rollout's starter (four-eyes,"
            + " unless stepwise.security.starter-may-approve; else 403)", "its MANUAL_APPROVAL step SUCCEEDED,"
            + " cluster RUNNING, next step as after a success", EnumSet.allOf(RolloutState.class), EnumSet.of(ClusterPlanState.AWAITING_APPROVAL)),
    RETRY("retry", "cluster FAILED at a step, rollout not CANCELLED; a finished rollout only if no other rollout"
            + " took the cluster since", "cluster RUNNING; its failed step is dispatched again as a new attempt (even"
            + " beyond maxParallel; a BACKUP that failed, not timed out, under a new backupId, which the steps restoring from it follow) once the executor reported the previous attempt's end (or after"
            + " stepwise.rollouts.attempt-stop-grace); an ended rollout RUNNING again, holding the cluster's lease",
            EnumSet.complementOf(EnumSet.of(CANCELLED)), EnumSet.of(ClusterPlanState.FAILED)),
    WAVE_ENTERED("wave entered", "rollout RUNNING, every cluster of the current wave ended, its gate after and"
            + " its soak passed", "the next wave with a cluster not ended becomes current; if the ended wave says"
            + " pauseAfter, the rollout PAUSED until resume"),
    GATE_PENDING("gate pending", "rollout RUNNING, a gate after the ended wave (or before the wave about to start)"
            + " not yet approved", "the rollout waits there (still RUNNING, pendingGate set) and announces"
            + " io.stepwise.gate.pending"),
    GATE_APPROVED("gate approved", "rollout RUNNING or PAUSED at a gate, by a person with the gate's role other than"
            + " the starter (four-eyes as approve)", "the gate passed, recorded with who; the rollout goes on",
            EnumSet.of(RUNNING, PAUSED)),
    SOAK("soak", "rollout RUNNING, the ended wave says waitAfter, its gate after passed", "the rollout waits until"
            + " waitUntil (now + waitAfter) and announces io.stepwise.rollout.waiting"),
    SOAK_ENDED("soak ended", "rollout RUNNING or PAUSED waiting out a soak: its time is up (the calendar check), or"
            + " an approver ends it early", "the soak passed, recorded with who; the rollout goes on",
            EnumSet.of(RUNNING, PAUSED)),
    FINISHED("finished", "every cluster ended", "rollout SUCCEEDED, or FAILED if a cluster FAILED or was"
            + " CANCELLED other than for its removal from the inventory (a rollout cancelled or failed before stays"
            + " so); its clusters' leases are released");

    private final String event;
    private final String acceptedWhen;
    private final String effect;
    /** For people's commands: the rollout states and cluster states the command is accepted in. */
    private final Set<RolloutState> rolloutStates;
    private final Set<ClusterPlanState> clusterStates;

    Transition(String event, String acceptedWhen, String effect) {
        this(event, acceptedWhen, effect, EnumSet.allOf(RolloutState.class), EnumSet.allOf(ClusterPlanState.class));
    }

    Transition(String event, String acceptedWhen, String effect, Set<RolloutState> rolloutStates) {
        this(event, acceptedWhen, effect, rolloutStates, EnumSet.allOf(ClusterPlanState.class));
    }

    Transition(String event, String acceptedWhen, String effect, Set<RolloutState> rolloutStates,
               Set<ClusterPlanState> clusterStates) {
        this.event = event;
        this.acceptedWhen = acceptedWhen;
        this.effect = effect;
        this.rolloutStates = rolloutStates;
        this.clusterStates = clusterStates;
    }

    public boolean accepts(RolloutState state) {
        return rolloutStates.contains(state);
    }

    public boolean accepts(ClusterPlanState state) {
        return clusterStates.contains(state);
    }

    /** Refuses this command unless the rollout's state accepts it. */
    void require(Rollout rollout) {
        if (!accepts(rollout.state)) {
            throw new TransitionRefusedException(this == RETRY
                    ? "rollout " + rollout.id + " was cancelled; start a new rollout instead"
                    : "cannot " + event + " rollout " + rollout.id + ": it is " + rollout.state);
        }
    }

    /** Refuses this command unless the cluster's state accepts it. */
    void require(RolloutCluster cluster) {
        if (!accepts(cluster.state)) {
            throw new TransitionRefusedException("cluster " + cluster.clusterId() + " is " + cluster.state
                    + (this == RETRY ? "; only a FAILED cluster can be retried" : ", not waiting for approval"));
        }
    }

    /** The rules as the README shows them: a Markdown table, one row per event. */
    public static String table() {
        StringBuilder table = new StringBuilder("| event | accepted when | effect |\n|---|---|---|\n");
        for (Transition t : values()) {
            table.append("| ").append(t.event).append(" | ").append(t.acceptedWhen).append(" | ").append(t.effect)
                    .append(" |\n");
        }
        return table.toString();
    }
}
