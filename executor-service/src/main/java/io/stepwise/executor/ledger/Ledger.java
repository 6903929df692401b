package io.stepwise.executor.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.stepwise.executor.handler.StepOutcome;
import io.stepwise.model.StepRequested;
import io.stepwise.model.StepState;
import io.stepwise.model.StepStatus;
import io.stepwise.model.Topics;
import io.stepwise.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.Retry;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The executor's record of every step attempt it accepted, and the outbox of the status events it owes.
 * Each change and the event announcing it commit together. A passing database failure is retried, each attempt
 * in a new transaction (a {@code @Retry} around {@code @Transactional} would retry inside the failed one), so a
 * hiccup neither parks a good step request nor leaves a step unfinished until the next restart.
 */
@ApplicationScoped
public class Ledger implements PanacheRepositoryBase<StepExecution, StepExecution.Key> {

    /** What recording a delivered step found. */
    public enum Recorded { NEW, UNFINISHED, FINISHED }

    private final ObjectMapper json;
    private final Outbox outbox;

    public Ledger(ObjectMapper json, Outbox outbox) {
        this.json = json;
        this.outbox = outbox;
    }

    /**
     * Records a delivered step attempt. A redelivery of a finished attempt re-sends its result (with the same
     * event id, so the planner applies it once) instead of running it again. With {@code startNow} (a worker is
     * free for it) a new attempt is recorded as started, with its "started" event, in the same transaction: one
     * commit per step fewer than recording and starting it apart.
     */
    @Retry(maxRetries = 30, delay = 500, maxDuration = 120, durationUnit = ChronoUnit.SECONDS,
            abortOn = {IllegalArgumentException.class, IllegalStateException.class})
    public Recorded record(StepRequested step, boolean startNow) {
        return QuarkusTransaction.requiringNew().call(() -> recordNow(step, startNow));
    }

    private Recorded recordNow(StepRequested step, boolean startNow) {
        StepExecution existing = findById(new StepExecution.Key(step.stepId(), step.attempt()));
        if (existing != null) {
            if (existing.state.isTerminal()) {
                publish(step, existing.state, existing.observedVersion, existing.message, terminalId(step, existing.state));
                return Recorded.FINISHED;
            }
            return Recorded.UNFINISHED;
        }
        StepExecution execution = new StepExecution();
        execution.key = new StepExecution.Key(step.stepId(), step.attempt());
        execution.rolloutId = step.rolloutId();
        execution.clusterId = step.clusterId();
        execution.seq = step.seq();
        execution.kind = step.kind().name();
        execution.request = toJson(step);
        execution.state = StepState.PENDING;
        execution.receivedAt = Instant.now();
        persist(execution);
        if (startNow) {
            markStarted(step, execution);
        }
        return Recorded.NEW;
    }

    @Retry(maxRetries = 30, delay = 500, maxDuration = 120, durationUnit = ChronoUnit.SECONDS,
            abortOn = {IllegalArgumentException.class, IllegalStateException.class})
    public void started(StepRequested step) {
        QuarkusTransaction.requiringNew().run(() -> startedNow(step));
    }

    private void startedNow(StepRequested step) {
        markStarted(step, require(step));
    }

    private void markStarted(StepRequested step, StepExecution execution) {
        if (execution.startedAt == null) {
            execution.startedAt = Instant.now();
        }
        execution.state = StepState.RUNNING;
        publish(step, StepState.RUNNING, null, "started " + step.kind(),
                step.stepId() + ":" + step.attempt() + ":started");
    }

    @Transactional
    public void progress(StepRequested step, String message, String observedVersion) {
        publish(step, StepState.RUNNING, observedVersion, message, UUID.randomUUID().toString());
    }

    @Retry(maxRetries = 30, delay = 500, maxDuration = 120, durationUnit = ChronoUnit.SECONDS,
            abortOn = {IllegalArgumentException.class, IllegalStateException.class})
    public void finished(StepRequested step, StepOutcome outcome) {
        QuarkusTransaction.requiringNew().run(() -> finishedNow(step, outcome));
    }

    private void finishedNow(StepRequested step, StepOutcome outcome) {
        StepExecution execution = require(step);
        execution.state = outcome.state();
        execution.message = outcome.message();
        execution.observedVersion = outcome.observedVersion();
        execution.finishedAt = Instant.now();
        publish(step, outcome.state(), outcome.observedVersion(), outcome.message(), terminalId(step, outcome.state()));
    }

    /** Attempts accepted but not finished: to resume after a restart. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<StepRequested> unfinished() {
        return list("state in ?1 order by receivedAt", List.of(StepState.PENDING, StepState.RUNNING)).stream()
                .map(e -> fromJson(e.request)).toList();
    }

    private void publish(StepRequested step, StepState state, String observedVersion, String message, String eventId) {
        StepStatus status = new StepStatus(step.stepId(), step.rolloutId(), step.clusterId(), step.seq(), step.attempt(),
                state, observedVersion, message, Instant.now());
        outbox.publish(eventId, Topics.STEP_STATUS, step.clusterId(),
                status.eventType(eventId.endsWith(":started") ? false : state == StepState.RUNNING), step.stepId(),
                status, status.at());
    }

    private static String terminalId(StepRequested step, StepState state) {
        return step.stepId() + ":" + step.attempt() + ":" + state.name().toLowerCase();
    }

    private StepExecution require(StepRequested step) {
        StepExecution execution = findById(new StepExecution.Key(step.stepId(), step.attempt()));
        if (execution == null) {
            throw new IllegalStateException("step " + step.stepId() + " attempt " + step.attempt() + " was never recorded");
        }
        return execution;
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
