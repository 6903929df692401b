package io.stepwise.planner.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.planner.domain.OutboxEvent;
import io.stepwise.planner.persistence.OutboxEventRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Instant;
import java.util.UUID;

/**
 * Writes outgoing events into the outbox table, inside the caller's transaction: the event exists exactly when
 * the state change it announces was committed. The relay publishes it afterwards.
 */
@ApplicationScoped
public class Outbox {

    /** Fired when a transaction that wrote outbox rows commits, so the relay wakes at once. */
    public record Written() {
    }

    private final OutboxEventRepository events;
    private final ObjectMapper json;
    private final Event<Written> written;

    public Outbox(OutboxEventRepository events, ObjectMapper json, Event<Written> written) {
        this.events = events;
        this.json = json;
        this.written = written;
    }

    public void publish(String topic, String key, String type, String subject, Object data) {
        OutboxEvent event = new OutboxEvent();
        event.eventId = UUID.randomUUID().toString();
        event.topic = topic;
        event.messageKey = key;
        event.eventType = type;
        event.subject = subject;
        try {
            event.payload = json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event data cannot be written as JSON", e);
        }
        event.createdAt = Instant.now();
        events.persist(event);
        written.fire(new Written());
    }
}
