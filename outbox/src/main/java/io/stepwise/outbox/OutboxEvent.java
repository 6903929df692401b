package io.stepwise.outbox;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * An event written in the same transaction as the state change it announces; {@link OutboxRelay} sends it to
 * Kafka. Each service's own Flyway migration creates the {@code outbox_event} table.
 */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** The CloudEvents id; consumers dedupe on it. */
    @Column(name = "event_id", nullable = false)
    public String eventId;

    @Column(nullable = false)
    public String topic;

    /** The Kafka key: the cluster id, so everything about one cluster stays in order in one partition. */
    @Column(name = "message_key", nullable = false)
    public String messageKey;

    @Column(name = "event_type", nullable = false)
    public String eventType;

    public String subject;

    @Column(nullable = false)
    public String payload;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "sent_at")
    public Instant sentAt;
}
