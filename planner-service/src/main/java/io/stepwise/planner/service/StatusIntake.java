package io.stepwise.planner.service;

import io.stepwise.model.StepStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.Retry;

/**
 * Applies each status event exactly once: the event id is recorded in the same transaction as its effects, so
 * a redelivered event changes nothing. A passing database failure is retried rather than parking a good event.
 */
@ApplicationScoped
public class StatusIntake {

    private final Orchestrator orchestrator;
    private final EntityManager em;

    public StatusIntake(Orchestrator orchestrator, EntityManager em) {
        this.orchestrator = orchestrator;
        this.em = em;
    }

    @Transactional
    @Retry(maxRetries = 30, delay = 500, maxDuration = 120, durationUnit = ChronoUnit.SECONDS,
            abortOn = IllegalArgumentException.class)
    public boolean apply(String eventId, StepStatus status) {
        int inserted = em.createNativeQuery("insert into processed_event (event_id, processed_at) values (?1, now())"
                        + " on conflict do nothing")
                .setParameter(1, eventId)
                .executeUpdate();
        if (inserted == 0) {
            return false;
        }
        return orchestrator.onStatus(status, "executor");
    }
}
