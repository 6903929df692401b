package io.stepwise.outbox;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * An unsent row of the {@code outbox_event} table (each service's own Flyway migration creates it), as the relay
 * reads it. The outbox is written and read with plain SQL, not as a JPA entity: it is an append-only log, and an
 * entity per event would be kept in the writer's persistence context and dirty-checked at every flush of the
 * transaction that wrote it (a status batch in the planner writes hundreds).
 */
record OutboxEvent(long id, String eventId, String topic, String messageKey, String eventType, String subject,
                   String payload, Instant createdAt) {

    /** The columns {@link #of} reads, in its order. */
    static final String COLUMNS = "id, event_id, topic, message_key, event_type, subject, payload, created_at";

    static OutboxEvent of(Object[] row) {
        return new OutboxEvent(((Number) row[0]).longValue(), (String) row[1], (String) row[2], (String) row[3],
                (String) row[4], (String) row[5], (String) row[6], instant(row[7]));
    }

    /** A timestamptz as the JDBC driver and Hibernate hand it back (the type depends on their versions). */
    private static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("outbox_event.created_at came back as " + value.getClass().getName());
    }
}
