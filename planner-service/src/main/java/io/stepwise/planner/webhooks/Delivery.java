package io.stepwise.planner.webhooks;

import java.time.Instant;

/**
 * One event for one webhook, and how sending it went: {@code lastStatus} is the HTTP status of the last answer (null
 * when none came), {@code lastError} a short reason when the last attempt failed, {@code nextAttemptAt} when a
 * PENDING delivery is sent next.
 */
public record Delivery(long id, String webhookId, String eventId, String eventType, String rolloutId, State state,
                       int attempts, Integer lastStatus, String lastError, Instant nextAttemptAt,
                       Instant deliveredAt, Instant createdAt) {

    public enum State {
        /** Not yet answered with a 2xx; sent again at {@code nextAttemptAt}. */
        PENDING,
        /** Answered with a 2xx. */
        DELIVERED,
        /** Every attempt failed; not sent again. */
        FAILED
    }
}
