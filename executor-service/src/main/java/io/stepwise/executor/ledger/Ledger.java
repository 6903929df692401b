package io.stepwise.executor.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.faulttolerance.api.RetryWhen;
import io.stepwise.executor.config.ExecutorConfig;
import io.stepwise.executor.config.InstanceId;
import io.stepwise.executor.config.Redactor;
import io.stepwise.executor.handler.StepOutcome;
import io.stepwise.model.ProbeRequested;
import io.stepwise.model.ProbeResult;
import io.stepwise.model.StepCancel;
import io.stepwise.model.StepRequested;
import io.stepwise.model.StepState;
import io.stepwise.model.StepStatus;
import io.stepwise.model.Topics;
import io.stepwise.outbox.Outbox;
import io.stepwise.outbox.TransientFailure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.Retry;

/**
 * The executor's record of every step attempt it accepted, and the outbox of the status events it owes. Each write
 * takes a list (one step is a list of one) and commits it with its events in one transaction, all or none. Writes
 * are not retried: {@link #retried} is, each attempt in a new transaction (a {@code @Retry} around
 * {@code @Transactional} would retry inside the failed one).
 *
 * <p>Every unfinished attempt has an owner (an executor instance) and a lease, and a running attempt holds its
 * cluster's guard ({@code cluster_guard}), so that across all executors sharing this database at most one attempt
 * acts on a cluster at a time. Lease times are the database's clock, shared by every executor.
 */
@ApplicationScoped
public class Ledger implements PanacheRepositoryBase<StepExecution, StepExecution.Key> {

    /**
     * What recording a delivered step found: NEW (recorded; started too if a worker was free and the cluster's guard
     * was taken), WAITING (recorded, a worker was free but another attempt holds the cluster), UNFINISHED (already
     * recorded and not ended), FINISHED (already ended: its result is sent again).
     */
    public enum Recorded { NEW, WAITING, UNFINISHED, FINISHED }

    /** A delivered step attempt, and whether a worker is free to start it at once. */
    public record Delivery(StepRequested step, boolean startNow) {
    }

    /** A step attempt's end. */
    public record Finished(StepRequested step, StepOutcome outcome) {
    }

    /** What claiming an owned attempt's cluster found: STARTED (guard held), WAITING (another attempt holds it), GONE. */
    public enum Claim { STARTED, WAITING, GONE }

    /**
     * A claim's result; for a started attempt also whether the planner asked to cancel it, and the operation that
     * must not stop halfway it was in when its previous owner stopped (null: none).
     */
    public record Claimed(Claim claim, String cancelReason, String critical, boolean checked) {
    }

    /**
     * What recording a cancel did: ENDED (the attempt had not started, or not arrived: it is answered FAILED
     * CANCELLED now and never starts), RUNNING (recorded for the running attempt, whose owner is named), IGNORED
     * (the attempt had ended).
     */
    public enum CancelOutcome { ENDED, RUNNING, IGNORED }

    /** A recorded cancel: what it did, and the running attempt's owner. */
    public record Cancelled(StepCancel cancel, CancelOutcome outcome, String owner) {
    }

    /** What recording a poll's worth of step requests, cancels and probes did: the new probes are to be answered. */
    public record Accepted(List<Recorded> recorded, List<Cancelled> cancels, List<ProbeRequested> newProbes) {
    }

    /**
     * An unfinished attempt this executor took over (its previous owner's lease expired) or holds since before a
     * restart: {@code started} when it had started, {@code superseded} when a later attempt of the step is recorded.
     */
    public record Owned(StepRequested step, boolean started, boolean superseded) {
    }

    /** An attempt, as the ledger keys it. */
    public record Key(String stepId, int attempt) {
        public static Key of(StepRequested step) {
            return new Key(step.stepId(), step.attempt());
        }
    }

    /**
     * What a renewal found: the unfinished attempts still this executor's, those of them holding their guard, and the
     * cancel reasons of those the planner asked to stop.
     */
    public record Renewal(Set<Key> owned, Set<Key> guarded, Map<Key, String> cancelled) {
    }

    private final ObjectMapper json;
    private final Outbox outbox;
    private final String owner;
    private final double leaseSeconds;
    /** Every message the ledger writes or publishes passes through it, so that no path can forget. */
    private final Redactor redactor;

    @Inject
    public Ledger(ObjectMapper json, Outbox outbox, InstanceId instance, ExecutorConfig config, Redactor redactor) {
        this(json, outbox, instance.id(), config.leaseDuration(), redactor);
    }

    Ledger(ObjectMapper json, Outbox outbox, String owner, Duration lease, Redactor redactor) {
        this.json = json;
        this.outbox = outbox;
        this.owner = owner;
        this.leaseSeconds = lease.toMillis() / 1000.0;
        this.redactor = redactor;
    }

    /** This executor's name as an owner. */
    public String owner() {
        return owner;
    }

    /** Runs a write again while it fails with what may pass ({@link TransientFailure}), for up to two minutes. */
    @Retry(maxRetries = 30, delay = 500, maxDuration = 120, durationUnit = ChronoUnit.SECONDS)
    @RetryWhen(exception = TransientFailure.class)
    public <T> T retried(Supplier<T> write) {
        return write.get();
    }

    /** {@link #retried(Supplier)} for a write that returns nothing. */
    @Retry(maxRetries = 30, delay = 500, maxDuration = 120, durationUnit = ChronoUnit.SECONDS)
    @RetryWhen(exception = TransientFailure.class)
    public void retried(Runnable write) {
        write.run();
    }

    /**
     * Records delivered step attempts as this executor's, and starts those a worker is free for whose cluster no other
     * attempt holds (at most one per cluster). A redelivery of a finished attempt re-sends its result (same event id,
     * so the planner applies it once) instead of running it again.
     */
    public List<Recorded> record(List<Delivery> deliveries) {
        return record(deliveries, List.of()).recorded();
    }

    /**
     * Records delivered step attempts and cancels in one transaction: the requests first, then the cancels (so a
     * request and its cancel in one poll end with the attempt cancelled, as they would one after the other), then the
     * starts of the new attempts a worker is free for.
     */
    public Accepted record(List<Delivery> deliveries, List<StepCancel> cancels) {
        return record(deliveries, cancels, List.of());
    }

    /** {@link #record(List, List)}, also recording probes to answer (a probe id seen before is not answered again). */
    public Accepted record(List<Delivery> deliveries, List<StepCancel> cancels, List<ProbeRequested> probes) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = Instant.now();
            List<Recorded> recorded = new ArrayList<>(deliveries.size());
            for (Delivery delivery : deliveries) {
                recorded.add(recordNow(delivery.step(), now));
            }
            List<Cancelled> cancelled = new ArrayList<>(cancels.size());
            Set<Key> endedNow = new HashSet<>();
            for (StepCancel cancel : cancels) {
                Cancelled c = cancelNow(cancel, now);
                cancelled.add(c);
                if (c.outcome() == CancelOutcome.ENDED) {
                    endedNow.add(new Key(cancel.stepId(), cancel.attempt()));
                }
            }
            List<Integer> toStart = new ArrayList<>();
            Set<String> clusters = new HashSet<>();
            for (int i = 0; i < deliveries.size(); i++) {
                Delivery delivery = deliveries.get(i);
                if (recorded.get(i) == Recorded.NEW && endedNow.contains(Key.of(delivery.step()))) {
                    recorded.set(i, Recorded.FINISHED);
                } else if (recorded.get(i) == Recorded.NEW && delivery.startNow()) {
                    if (clusters.add(delivery.step().clusterId())) {
                        toStart.add(i);
                    } else {
                        recorded.set(i, Recorded.WAITING);
                    }
                }
            }
            Set<Key> started = startGuarded(toStart.stream().map(i -> deliveries.get(i).step()).toList(), now);
            for (int i : toStart) {
                StepRequested step = deliveries.get(i).step();
                if (started.contains(Key.of(step))) {
                    publishStarted(step);
                } else {
                    recorded.set(i, Recorded.WAITING);
                }
            }
            return new Accepted(recorded, cancelled, recordProbes(probes, now));
        });
    }

    /**
     * Records a cancel in one statement: an attempt not started ends FAILED CANCELLED at once; a running one keeps
     * the reason for its owner to see. An attempt not recorded yet is recorded as cancelled, so its request, when it
     * comes, is answered with that end instead of running.
     */
    private Cancelled cancelNow(StepCancel cancel, Instant now) {
        String reason = reason(cancel);
        String endMessage = redactor.message("cancelled before it started: " + reason + "; nothing was done");
        Object[] row = new Object[2];
        getSession().doWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("""
                    update step_execution set
                        state = case when state = 'PENDING' then 'FAILED' else state end,
                        error_code = case when state = 'PENDING' then ? else error_code end,
                        message = case when state = 'PENDING' then ? else message end,
                        finished_at = case when state = 'PENDING' then ? else finished_at end,
                        cancel_reason = ?
                    where step_id = ? and attempt = ? and state in ('PENDING', 'RUNNING')
                    returning state, owner""")) {
                statement.setString(1, StepStatus.CANCELLED);
                statement.setString(2, endMessage);
                statement.setObject(3, now.atOffset(ZoneOffset.UTC));
                statement.setString(4, reason);
                statement.setString(5, cancel.stepId());
                statement.setInt(6, cancel.attempt());
                try (ResultSet rows = statement.executeQuery()) {
                    if (rows.next()) {
                        row[0] = rows.getString(1);
                        row[1] = rows.getString(2);
                    }
                }
            }
        });
        StepRequested step = asStep(cancel);
        if (StepState.FAILED.name().equals(row[0])) {
            publishEnd(step, StepState.FAILED, null, endMessage, StepStatus.CANCELLED);
            return new Cancelled(cancel, CancelOutcome.ENDED, null);
        }
        if (StepState.RUNNING.name().equals(row[0])) {
            return new Cancelled(cancel, CancelOutcome.RUNNING, (String) row[1]);
        }
        String beforeMessage = redactor.message("cancelled before its request arrived: " + reason + "; nothing was done");
        int inserted = getSession().createNativeQuery("insert into step_execution (step_id, attempt, rollout_id,"
                        + " cluster_id, seq, state, message, error_code, cancel_reason, received_at, finished_at)"
                        + " values (?1, ?2, ?3, ?4, ?5, 'FAILED', ?6, ?7, ?8, ?9, ?9) on conflict do nothing")
                .addSynchronizedEntityClass(StepExecution.class)
                .setParameter(1, cancel.stepId())
                .setParameter(2, cancel.attempt())
                .setParameter(3, cancel.rolloutId())
                .setParameter(4, cancel.clusterId())
                .setParameter(5, cancel.seq())
                .setParameter(6, beforeMessage)
                .setParameter(7, StepStatus.CANCELLED)
                .setParameter(8, reason)
                .setParameter(9, now)
                .executeUpdate();
        if (inserted == 1) {
            publishEnd(step, StepState.FAILED, null, beforeMessage, StepStatus.CANCELLED);
            return new Cancelled(cancel, CancelOutcome.ENDED, null);
        }
        return new Cancelled(cancel, CancelOutcome.IGNORED, null);
    }

    private List<ProbeRequested> recordProbes(List<ProbeRequested> probes, Instant now) {
        List<ProbeRequested> fresh = new ArrayList<>();
        for (ProbeRequested probe : probes) {
            int inserted = getSession().createNativeQuery("insert into probe_request (probe_id, cluster_id, request,"
                            + " owner, lease_until, received_at) values (?1, ?2, ?3, ?4, now() + make_interval(secs => ?5),"
                            + " ?6) on conflict do nothing")
                    .setParameter(1, probe.probeId())
                    .setParameter(2, probe.clusterId())
                    .setParameter(3, toJson(probe))
                    .setParameter(4, owner)
                    .setParameter(5, leaseSeconds)
                    .setParameter(6, now)
                    .executeUpdate();
            if (inserted == 1) {
                fresh.add(probe);
            }
        }
        return fresh;
    }

    /** Publishes a probe's result (its event id derives from the probe id) and marks the probe answered. */
    public void answer(ProbeResult answer) {
        ProbeResult result = answer.error() == null ? answer : new ProbeResult(answer.probeId(), answer.clusterId(),
                answer.version(), answer.nodeVersions(), answer.nodes(), redactor.message(answer.error()), answer.at());
        QuarkusTransaction.requiringNew().run(() -> {
            outbox.publish(result.probeId() + ":probed", Topics.STEP_STATUS, result.clusterId(), ProbeResult.TYPE,
                    result.probeId(), result, result.at());
            getSession().createNativeQuery("update probe_request set answered_at = ?1 where probe_id = ?2")
                    .setParameter(1, Instant.now())
                    .setParameter(2, result.probeId())
                    .executeUpdate();
        });
    }

    /**
     * Takes up to {@code limit} unanswered probes whose lease expired (probes are short and their leases are not
     * renewed: one that outlived its lease is answered again, which is harmless).
     */
    public List<ProbeRequested> takeOverProbes(int limit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<ProbeRequested> taken = new ArrayList<>();
            getSession().doWork(connection -> {
                try (PreparedStatement statement = connection.prepareStatement("""
                        with orphaned as (
                            select probe_id from probe_request
                            where answered_at is null and (lease_until is null or lease_until < now())
                            order by received_at limit ? for update skip locked)
                        update probe_request p set owner = ?, lease_until = now() + make_interval(secs => ?)
                        from orphaned o where p.probe_id = o.probe_id
                        returning p.request""")) {
                    statement.setInt(1, limit);
                    statement.setString(2, owner);
                    statement.setDouble(3, leaseSeconds);
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            taken.add(read(rows.getString(1), ProbeRequested.class));
                        }
                    }
                }
            });
            return taken;
        });
    }

    /** Forgets probes answered before {@code before}. */
    public int pruneProbes(Instant before) {
        return QuarkusTransaction.requiringNew().call(() -> getSession()
                .createNativeQuery("delete from probe_request where answered_at < ?1")
                .setParameter(1, before)
                .executeUpdate());
    }

    /** Records that an attempt's pre-flight check passed: a resumed attempt is not checked again. */
    public void checked(StepRequested step) {
        QuarkusTransaction.requiringNew().run(() -> getSession().doWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("update step_execution"
                    + " set checked_at = clock_timestamp() where step_id = ? and attempt = ? and owner = ?")) {
                statement.setString(1, step.stepId());
                statement.setInt(2, step.attempt());
                statement.setString(3, owner);
                statement.executeUpdate();
            }
        }));
    }

    /** The cancel's reason as it goes into messages. */
    public static String reason(StepCancel cancel) {
        return cancel.reason() == null || cancel.reason().isBlank() ? "the planner asked to stop the attempt"
                : cancel.reason().trim();
    }

    /** The step a cancel names, with what a status of it needs. */
    private static StepRequested asStep(StepCancel cancel) {
        return new StepRequested(cancel.stepId(), cancel.rolloutId(), cancel.clusterId(), cancel.seq(), cancel.attempt(),
                null, null, null, Map.of(), null);
    }

    private Recorded recordNow(StepRequested step, Instant now) {
        // One statement records a new attempt and tells a redelivered one apart (no row inserted): no read first.
        int inserted = getSession().createNativeQuery("insert into step_execution (step_id, attempt, rollout_id,"
                        + " cluster_id, seq, kind, request, state, received_at, owner, lease_until)"
                        + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'PENDING', ?8, ?9, now() + make_interval(secs => ?10))"
                        + " on conflict do nothing")
                .addSynchronizedEntityClass(StepExecution.class)
                .setParameter(1, step.stepId())
                .setParameter(2, step.attempt())
                .setParameter(3, step.rolloutId())
                .setParameter(4, step.clusterId())
                .setParameter(5, step.seq())
                .setParameter(6, step.kind().name())
                .setParameter(7, toJson(step))
                .setParameter(8, now)
                .setParameter(9, owner)
                .setParameter(10, leaseSeconds)
                .executeUpdate();
        if (inserted == 1) {
            return Recorded.NEW;
        }
        StepExecution existing = findById(new StepExecution.Key(step.stepId(), step.attempt()));
        if (existing.state.isTerminal()) {
            publishEnd(step, existing.state, existing.observedVersion, existing.message, existing.errorCode);
            return Recorded.FINISHED;
        }
        return Recorded.UNFINISHED;
    }

    /**
     * Takes the guards of the attempts' clusters and starts those it could, in one statement: a guard is free, held
     * by the same attempt, or held under an expired lease. Answers the attempts now RUNNING under this executor.
     */
    private Set<Key> startGuarded(List<StepRequested> steps, Instant now) {
        if (steps.isEmpty()) {
            return Set.of();
        }
        Set<Key> started = new HashSet<>();
        getSession().doWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("""
                    with wanted (cluster_id, step_id, attempt) as (
                        select * from unnest(?::varchar[], ?::varchar[], ?::int[])),
                    taken as (
                        insert into cluster_guard as g (cluster_id, step_id, attempt, owner, lease_until)
                        select w.cluster_id, w.step_id, w.attempt, ?, now() + make_interval(secs => ?)
                        from wanted w join step_execution e on e.step_id = w.step_id and e.attempt = w.attempt
                        where e.owner = ? and e.state in ('PENDING', 'RUNNING')
                        on conflict (cluster_id) do update set step_id = excluded.step_id,
                            attempt = excluded.attempt, owner = excluded.owner, lease_until = excluded.lease_until
                        where g.lease_until < now() or (g.step_id = excluded.step_id and g.attempt = excluded.attempt)
                        returning g.step_id, g.attempt)
                    update step_execution e set state = 'RUNNING', started_at = coalesce(e.started_at, ?::timestamptz,
                        clock_timestamp()), lease_until = now() + make_interval(secs => ?)
                    from taken t
                    where e.step_id = t.step_id and e.attempt = t.attempt and e.owner = ?
                        and e.state in ('PENDING', 'RUNNING')
                    returning e.step_id, e.attempt""")) {
                statement.setArray(1, array(connection, "varchar", steps.stream().map(StepRequested::clusterId)));
                statement.setArray(2, array(connection, "varchar", steps.stream().map(StepRequested::stepId)));
                statement.setArray(3, array(connection, "int4", steps.stream().map(StepRequested::attempt)));
                statement.setString(4, owner);
                statement.setDouble(5, leaseSeconds);
                statement.setString(6, owner);
                if (now == null) {
                    statement.setNull(7, Types.TIMESTAMP_WITH_TIMEZONE);
                } else {
                    statement.setObject(7, now.atOffset(ZoneOffset.UTC));
                }
                statement.setDouble(8, leaseSeconds);
                statement.setString(9, owner);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        started.add(new Key(rows.getString(1), rows.getInt(2)));
                    }
                }
            }
        });
        return started;
    }

    /**
     * Starts (or, for one that had started, resumes) attempts this executor owns: each takes its cluster's guard if no
     * other live attempt holds it. An attempt that had not started is reported started.
     */
    public List<Claimed> claim(List<Owned> attempts) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<StepRequested> steps = attempts.stream().map(Owned::step).toList();
            // Started when the guard was taken: it may have waited for the end that released it.
            Set<Key> started = startGuarded(distinctClusters(steps), null);
            Map<Key, String[]> stillMine = new HashMap<>();
            getSession().doWork(connection -> {
                try (PreparedStatement statement = connection.prepareStatement("""
                        select e.step_id, e.attempt, e.cancel_reason, e.critical, e.checked_at is not null
                        from step_execution e
                        join unnest(?::varchar[], ?::int[]) as w(step_id, attempt)
                            on e.step_id = w.step_id and e.attempt = w.attempt
                        where e.owner = ? and e.state in ('PENDING', 'RUNNING')""")) {
                    statement.setArray(1, array(connection, "varchar", steps.stream().map(StepRequested::stepId)));
                    statement.setArray(2, array(connection, "int4", steps.stream().map(StepRequested::attempt)));
                    statement.setString(3, owner);
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            stillMine.put(new Key(rows.getString(1), rows.getInt(2)),
                                    new String[] {rows.getString(3), rows.getString(4), String.valueOf(rows.getBoolean(5))});
                        }
                    }
                }
            });
            List<Claimed> claims = new ArrayList<>(attempts.size());
            for (Owned attempt : attempts) {
                Key key = Key.of(attempt.step());
                String[] row = stillMine.get(key);
                if (started.contains(key) && row != null) {
                    if (!attempt.started()) {
                        publishStarted(attempt.step());
                    }
                    claims.add(new Claimed(Claim.STARTED, row[0], row[1], Boolean.parseBoolean(row[2])));
                } else {
                    claims.add(new Claimed(row != null ? Claim.WAITING : Claim.GONE, null, null, false));
                }
            }
            return claims;
        });
    }

    /** Records that an owned attempt entered ({@code operation}) or left (null) an operation that must not stop halfway. */
    public void critical(StepRequested step, String operation) {
        QuarkusTransaction.requiringNew().run(() -> getSession().doWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("update step_execution set critical = ?"
                    + " where step_id = ? and attempt = ? and owner = ?")) {
                statement.setString(1, operation);
                statement.setString(2, step.stepId());
                statement.setInt(3, step.attempt());
                statement.setString(4, owner);
                statement.executeUpdate();
            }
        }));
    }

    /** The first attempt of each cluster: two attempts of one cluster cannot both take its guard in one statement. */
    private static List<StepRequested> distinctClusters(List<StepRequested> steps) {
        Map<String, StepRequested> first = new HashMap<>();
        for (StepRequested step : steps) {
            first.putIfAbsent(step.clusterId(), step);
        }
        return steps.stream().filter(step -> first.get(step.clusterId()) == step).toList();
    }

    @Transactional
    public void progress(StepRequested step, String message, String observedVersion) {
        publish(step, StepState.RUNNING, observedVersion, message, UUID.randomUUID().toString(),
                StepStatus.TYPE_PROGRESS);
    }

    /** A running attempt's progress message. */
    public record Progress(StepRequested step, String message, String observedVersion) {
    }

    /** Publishes many attempts' progress (heartbeats) in one transaction. */
    public void progress(List<Progress> beats) {
        QuarkusTransaction.requiringNew().run(() -> beats.forEach(beat -> publish(beat.step(), StepState.RUNNING,
                beat.observedVersion(), beat.message(), UUID.randomUUID().toString(), StepStatus.TYPE_PROGRESS)));
    }

    /**
     * Records the ends of step attempts this executor still owns and releases their clusters' guards; answers, per
     * end, whether it was recorded (an attempt another executor took over meanwhile is left to it).
     */
    public List<Boolean> finished(List<Finished> finished) {
        List<Finished> ends = finished.stream().map(end -> new Finished(end.step(), new StepOutcome(end.outcome().state(),
                end.outcome().observedVersion(), redactor.message(end.outcome().message()), end.outcome().errorCode())))
                .toList();
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = Instant.now();
            int[] updated = change("update step_execution set state = ?, message = ?, observed_version = ?,"
                    + " error_code = ?, finished_at = ?, critical = null where step_id = ? and attempt = ? and owner = ?"
                    + " and state in ('PENDING', 'RUNNING')", ends, Finished::step, end -> new Object[] {
                        end.outcome().state().name(), end.outcome().message(), end.outcome().observedVersion(),
                        end.outcome().errorCode(), now});
            List<Boolean> recorded = new ArrayList<>(ends.size());
            List<StepRequested> released = new ArrayList<>();
            for (int i = 0; i < ends.size(); i++) {
                Finished end = ends.get(i);
                boolean mine = updated[i] > 0;
                recorded.add(mine);
                if (mine) {
                    released.add(end.step());
                    publishEnd(end.step(), end.outcome().state(), end.outcome().observedVersion(),
                            end.outcome().message(), end.outcome().errorCode());
                } else {
                    Log.warnf("Step %s attempt %d ended (%s) but is no longer this executor's (%s); its end is left to"
                            + " its owner", end.step().stepId(), end.step().attempt(), end.outcome().state(), owner);
                }
            }
            releaseGuards(released);
            return recorded;
        });
    }

    private void releaseGuards(List<StepRequested> steps) {
        if (steps.isEmpty()) {
            return;
        }
        getSession().doWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("""
                    delete from cluster_guard g using unnest(?::varchar[], ?::varchar[], ?::int[])
                        as d(cluster_id, step_id, attempt)
                    where g.cluster_id = d.cluster_id and g.step_id = d.step_id and g.attempt = d.attempt""")) {
                statement.setArray(1, array(connection, "varchar", steps.stream().map(StepRequested::clusterId)));
                statement.setArray(2, array(connection, "varchar", steps.stream().map(StepRequested::stepId)));
                statement.setArray(3, array(connection, "int4", steps.stream().map(StepRequested::attempt)));
                statement.executeUpdate();
            }
        });
    }

    /**
     * Extends the leases of every unfinished attempt this executor owns, and of the guards its running attempts hold,
     * in one statement; answers which attempts are still its own and which of them hold their guard.
     */
    public Renewal renew() {
        return QuarkusTransaction.requiringNew().call(() -> {
            Set<Key> owned = new HashSet<>();
            Set<Key> guarded = new HashSet<>();
            Map<Key, String> cancelled = new HashMap<>();
            getSession().doWork(connection -> {
                try (PreparedStatement statement = connection.prepareStatement("""
                        with mine as (
                            update step_execution set lease_until = now() + make_interval(secs => ?)
                            where owner = ? and state in ('PENDING', 'RUNNING')
                            returning step_id, attempt, state, cancel_reason),
                        guards as (
                            update cluster_guard g set lease_until = now() + make_interval(secs => ?)
                            from mine m
                            where g.owner = ? and g.step_id = m.step_id and g.attempt = m.attempt
                                and m.state = 'RUNNING'
                            returning g.step_id, g.attempt)
                        select m.step_id, m.attempt, g.step_id is not null, m.cancel_reason
                        from mine m left join guards g on g.step_id = m.step_id and g.attempt = m.attempt""")) {
                    statement.setDouble(1, leaseSeconds);
                    statement.setString(2, owner);
                    statement.setDouble(3, leaseSeconds);
                    statement.setString(4, owner);
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            Key key = new Key(rows.getString(1), rows.getInt(2));
                            owned.add(key);
                            if (rows.getBoolean(3)) {
                                guarded.add(key);
                            }
                            if (rows.getString(4) != null) {
                                cancelled.put(key, rows.getString(4));
                            }
                        }
                    }
                }
            });
            return new Renewal(owned, guarded, cancelled);
        });
    }

    /**
     * Takes up to {@code limit} unfinished attempts whose owner's lease expired, or that have no owner, oldest first
     * (not this executor's own: one whose lease lapsed while it ran it still runs it);
     * with {@code ownedBefore}, also those this executor's name owned that were received before then (a restart under
     * a fixed instance id). Rows another executor is taking at the same moment are skipped
     * ({@code FOR UPDATE SKIP LOCKED}).
     */
    public List<Owned> takeOver(int limit, Instant ownedBefore) {
        if (limit <= 0) {
            return List.of();
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            List<Owned> taken = new ArrayList<>();
            getSession().doWork(connection -> {
                try (PreparedStatement statement = connection.prepareStatement("""
                        with orphaned as (
                            select step_id, attempt from step_execution
                            where state in ('PENDING', 'RUNNING')
                                and (owner is null or (lease_until < now() and owner <> ?)
                                    or (owner = ? and received_at < ?))
                            order by received_at limit ? for update skip locked)
                        update step_execution e set owner = ?, lease_until = now() + make_interval(secs => ?)
                        from orphaned o where e.step_id = o.step_id and e.attempt = o.attempt
                        returning e.request, e.state, exists (select 1 from step_execution later
                            where later.step_id = e.step_id and later.attempt > e.attempt)""")) {
                    statement.setString(1, owner);
                    statement.setString(2, owner);
                    if (ownedBefore == null) {
                        statement.setNull(3, Types.TIMESTAMP_WITH_TIMEZONE);
                    } else {
                        statement.setObject(3, ownedBefore.atOffset(ZoneOffset.UTC));
                    }
                    statement.setInt(4, limit);
                    statement.setString(5, owner);
                    statement.setDouble(6, leaseSeconds);
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            taken.add(new Owned(fromJson(rows.getString(1)),
                                    StepState.RUNNING.name().equals(rows.getString(2)), rows.getBoolean(3)));
                        }
                    }
                }
            });
            return taken;
        });
    }

    /** Gives up attempts this executor owns (no owner: the next sweep of any executor takes them). */
    public void release(Set<Key> attempts) {
        QuarkusTransaction.requiringNew().run(() -> getSession().doWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("""
                    update step_execution e set owner = null
                    from unnest(?::varchar[], ?::int[]) as r(step_id, attempt)
                    where e.step_id = r.step_id and e.attempt = r.attempt and e.owner = ?
                        and e.state in ('PENDING', 'RUNNING')""")) {
                statement.setArray(1, array(connection, "varchar", attempts.stream().map(Key::stepId)));
                statement.setArray(2, array(connection, "int4", attempts.stream().map(Key::attempt)));
                statement.setString(3, owner);
                statement.executeUpdate();
            }
        }));
    }

    /** Lets every lease of this executor expire now (it is stopping), so that another executor takes over at once. */
    public void releaseLeases() {
        QuarkusTransaction.requiringNew().run(() -> getSession().doWork(connection -> {
            try (PreparedStatement steps = connection.prepareStatement("update step_execution set lease_until = now()"
                    + " where owner = ? and state in ('PENDING', 'RUNNING')");
                 PreparedStatement guards = connection.prepareStatement(
                         "update cluster_guard set lease_until = now() where owner = ?");
                 PreparedStatement probes = connection.prepareStatement(
                         "update probe_request set lease_until = now() where owner = ? and answered_at is null")) {
                for (PreparedStatement statement : List.of(steps, guards, probes)) {
                    statement.setString(1, owner);
                    statement.executeUpdate();
                }
            }
        }));
    }

    /**
     * Updates the attempts' rows in one JDBC batch, binding each item's {@code values}, then its step id and attempt,
     * then this executor's name; answers the rows each item updated. Plain JDBC is safe here: these transactions
     * load no entity of the table, so Hibernate has nothing to be told.
     */
    private <T> int[] change(String update, List<T> items, Function<T, StepRequested> stepOf,
                             Function<T, Object[]> values) {
        int[][] result = new int[1][];
        getSession().doWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(update)) {
                for (T item : items) {
                    Object[] bound = values.apply(item);
                    for (int i = 0; i < bound.length; i++) {
                        bind(statement, i + 1, bound[i]);
                    }
                    statement.setString(bound.length + 1, stepOf.apply(item).stepId());
                    statement.setInt(bound.length + 2, stepOf.apply(item).attempt());
                    statement.setString(bound.length + 3, owner);
                    statement.addBatch();
                }
                result[0] = statement.executeBatch();
            }
        });
        return result[0];
    }

    private static Array array(Connection connection, String type, java.util.stream.Stream<?> values)
            throws SQLException {
        return connection.createArrayOf(type, values.toArray());
    }

    private static void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else if (value instanceof Instant instant) {
            statement.setObject(index, instant.atOffset(ZoneOffset.UTC));
        } else {
            statement.setObject(index, value);
        }
    }

    private void publishStarted(StepRequested step) {
        publish(step, StepState.RUNNING, null, "started " + step.kind(), eventId(step, "started"),
                StepStatus.TYPE_STARTED);
    }

    private void publishEnd(StepRequested step, StepState state, String observedVersion, String message,
                            String errorCode) {
        publish(step, state, observedVersion, message, eventId(step, state.name().toLowerCase()),
                state == StepState.SUCCEEDED ? StepStatus.TYPE_SUCCEEDED : StepStatus.TYPE_FAILED, errorCode);
    }

    private void publish(StepRequested step, StepState state, String observedVersion, String message, String eventId,
                         String eventType) {
        publish(step, state, observedVersion, message, eventId, eventType, null);
    }

    private void publish(StepRequested step, StepState state, String observedVersion, String message, String eventId,
                         String eventType, String errorCode) {
        StepStatus status = new StepStatus(step.stepId(), step.rolloutId(), step.clusterId(), step.seq(), step.attempt(),
                state, observedVersion, redactor.message(message), Instant.now(), errorCode);
        outbox.publish(eventId, Topics.STEP_STATUS, step.clusterId(), eventType, step.stepId(), status, status.at());
    }

    /** The id of a step attempt's start or end event: the same whenever it is sent again. */
    private static String eventId(StepRequested step, String what) {
        return step.stepId() + ":" + step.attempt() + ":" + what;
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON", e);
        }
    }

    private StepRequested fromJson(String text) {
        return read(text, StepRequested.class);
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a recorded " + type.getSimpleName() + " cannot be read back", e);
        }
    }
}
