package io.stepwise.executor.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.faulttolerance.api.RetryWhen;
import io.stepwise.executor.handler.StepOutcome;
import io.stepwise.model.StepRequested;
import io.stepwise.model.StepState;
import io.stepwise.model.StepStatus;
import io.stepwise.model.Topics;
import io.stepwise.outbox.Outbox;
import io.stepwise.outbox.TransientFailure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.Retry;

/**
 * The executor's record of every step attempt it accepted, and the outbox of the status events it owes. Each write
 * takes a list (one step is a list of one) and commits it with its events in one transaction, all or none. Writes
 * are not retried: {@link #retried} is, each attempt in a new transaction (a {@code @Retry} around
 * {@code @Transactional} would retry inside the failed one).
 */
@ApplicationScoped
public class Ledger implements PanacheRepositoryBase<StepExecution, StepExecution.Key> {

    /** What recording a delivered step found. */
    public enum Recorded { NEW, UNFINISHED, FINISHED }

    /** A delivered step attempt, and whether a worker is free to start it at once. */
    public record Delivery(StepRequested step, boolean startNow) {
    }

    /** A step attempt's end. */
    public record Finished(StepRequested step, StepOutcome outcome) {
    }

    private final ObjectMapper json;
    private final Outbox outbox;

    public Ledger(ObjectMapper json, Outbox outbox) {
        this.json = json;
        this.outbox = outbox;
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
     * Records delivered step attempts. A redelivery of a finished attempt re-sends its result (same event id, so the
     * planner applies it once) instead of running it again.
     */
    public List<Recorded> record(List<Delivery> deliveries) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<Recorded> recorded = new ArrayList<>(deliveries.size());
            for (Delivery delivery : deliveries) {
                recorded.add(recordNow(delivery.step(), delivery.startNow()));
            }
            return recorded;
        });
    }

    private Recorded recordNow(StepRequested step, boolean startNow) {
        Instant now = Instant.now();
        // One statement records a new attempt and tells a redelivered one apart (no row inserted): no read first.
        int inserted = getSession().createNativeQuery("insert into step_execution (step_id, attempt, rollout_id,"
                        + " cluster_id, seq, kind, request, state, received_at, started_at)"
                        + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) on conflict do nothing")
                .addSynchronizedEntityClass(StepExecution.class)
                .setParameter(1, step.stepId())
                .setParameter(2, step.attempt())
                .setParameter(3, step.rolloutId())
                .setParameter(4, step.clusterId())
                .setParameter(5, step.seq())
                .setParameter(6, step.kind().name())
                .setParameter(7, toJson(step))
                .setParameter(8, (startNow ? StepState.RUNNING : StepState.PENDING).name())
                .setParameter(9, now)
                .setParameter(10, startNow ? now : null, Instant.class)
                .executeUpdate();
        if (inserted == 1) {
            if (startNow) {
                publishStarted(step);
            }
            return Recorded.NEW;
        }
        StepExecution existing = findById(new StepExecution.Key(step.stepId(), step.attempt()));
        if (existing.state.isTerminal()) {
            publishEnd(step, existing.state, existing.observedVersion, existing.message);
            return Recorded.FINISHED;
        }
        return Recorded.UNFINISHED;
    }

    /** Records that step attempts accepted earlier started. */
    public void started(List<StepRequested> steps) {
        QuarkusTransaction.requiringNew().run(() -> {
            Instant now = Instant.now();
            change("update step_execution set state = 'RUNNING', started_at = coalesce(started_at, ?)"
                    + " where step_id = ? and attempt = ?", steps, step -> step, step -> new Object[] {now});
            steps.forEach(this::publishStarted);
        });
    }

    @Transactional
    public void progress(StepRequested step, String message, String observedVersion) {
        publish(step, StepState.RUNNING, observedVersion, message, UUID.randomUUID().toString(),
                StepStatus.TYPE_PROGRESS);
    }

    /** Records the ends of step attempts. */
    public void finished(List<Finished> ends) {
        QuarkusTransaction.requiringNew().run(() -> {
            Instant now = Instant.now();
            change("update step_execution set state = ?, message = ?, observed_version = ?, finished_at = ?"
                    + " where step_id = ? and attempt = ?", ends, Finished::step, end -> new Object[] {
                        end.outcome().state().name(), end.outcome().message(), end.outcome().observedVersion(), now});
            ends.forEach(end -> publishEnd(end.step(), end.outcome().state(), end.outcome().observedVersion(),
                    end.outcome().message()));
        });
    }

    /**
     * Updates the attempts' rows in one JDBC batch, binding each item's {@code values}, then its step id and attempt.
     * Plain JDBC is safe here: these transactions load no entity of the table, so Hibernate has nothing to be told.
     */
    private <T> void change(String update, List<T> items, Function<T, StepRequested> stepOf,
                            Function<T, Object[]> values) {
        getSession().doWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(update)) {
                for (T item : items) {
                    Object[] bound = values.apply(item);
                    for (int i = 0; i < bound.length; i++) {
                        bind(statement, i + 1, bound[i]);
                    }
                    statement.setString(bound.length + 1, stepOf.apply(item).stepId());
                    statement.setInt(bound.length + 2, stepOf.apply(item).attempt());
                    statement.addBatch();
                }
                int[] updated = statement.executeBatch();
                for (int i = 0; i < updated.length; i++) {
                    if (updated[i] == 0) {
                        StepRequested step = stepOf.apply(items.get(i));
                        throw new IllegalStateException("step " + step.stepId() + " attempt " + step.attempt()
                                + " was never recorded");
                    }
                }
            }
        });
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

    /** Attempts accepted but not finished: to resume after a restart. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<StepRequested> unfinished() {
        return list("state in ?1 order by receivedAt", List.of(StepState.PENDING, StepState.RUNNING)).stream()
                .map(e -> fromJson(e.request)).toList();
    }

    private void publishStarted(StepRequested step) {
        publish(step, StepState.RUNNING, null, "started " + step.kind(), eventId(step, "started"),
                StepStatus.TYPE_STARTED);
    }

    private void publishEnd(StepRequested step, StepState state, String observedVersion, String message) {
        publish(step, state, observedVersion, message, eventId(step, state.name().toLowerCase()),
                state == StepState.SUCCEEDED ? StepStatus.TYPE_SUCCEEDED : StepStatus.TYPE_FAILED);
    }

    private void publish(StepRequested step, StepState state, String observedVersion, String message, String eventId,
                         String eventType) {
        StepStatus status = new StepStatus(step.stepId(), step.rolloutId(), step.clusterId(), step.seq(), step.attempt(),
                state, observedVersion, message, Instant.now());
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
        try {
            return json.readValue(text, StepRequested.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a recorded step cannot be read back", e);
        }
    }
}
