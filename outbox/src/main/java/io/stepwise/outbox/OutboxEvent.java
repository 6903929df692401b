package io.stepwise.outbox;

import java.time.Instant;

/**
 * An unsent row of the {@code outbox_event} table (created by this module's migration in db/outbox), as the relay
 * reads it. The outbox is written and read with plain SQL, not as a JPA entity: it is an append-only log, and an
 * entity per event would be kept in the writer's persistence context and dirty-checked at every flush of the
 * transaction that wrote it (a status batch in the planner writes hundreds).
 */
record OutboxEvent(long id, String eventId, String topic, String messageKey, String eventType, String subject,
                   String payload, Instant createdAt) {

    static final String TABLE = "outbox_event";
    /** The columns {@link #of} reads, in its order. */
    static final String COLUMNS = "id, event_id, topic, message_key, event_type, subject, payload, created_at";

    /** A row of {@link #COLUMNS}; Hibernate hands a {@code timestamptz} back as an {@link Instant}. */
    static OutboxEvent of(Object[] row) {
        return new OutboxEvent(((Number) row[0]).longValue(), (String) row[1], (String) row[2], (String) row[3],
                (String) row[4], (String) row[5], (String) row[6], (Instant) row[7]);
    }
}
