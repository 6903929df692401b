package io.stepwise.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.Session;

/**
 * Writes outgoing events into the outbox table inside the caller's transaction (there must be one): an event
 * exists exactly when the state change it announces was committed. {@link OutboxRelay} publishes it afterwards.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class Outbox {

    /** Fired when outbox rows were written, so the relay wakes as soon as the transaction commits. */
    public record Written() {
    }

    private final EntityManager em;
    private final ObjectMapper json;
    private final Event<Written> written;

    public Outbox(EntityManager em, ObjectMapper json, Event<Written> written) {
        this.em = em;
        this.json = json;
        this.written = written;
    }

    /** Writes an event with a new random id, created now. */
    public void publish(String topic, String key, String type, String subject, Object data) {
        publish(UUID.randomUUID().toString(), topic, key, type, subject, data, Instant.now());
    }

    /** Writes an event with the caller's id: a fixed id lets consumers drop a copy sent again. */
    public void publish(String eventId, String topic, String key, String type, String subject, Object data,
                        Instant createdAt) {
        String payload;
        try {
            payload = json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event data cannot be written as JSON", e);
        }
        em.unwrap(Session.class).createNativeQuery("insert into outbox_event (event_id, topic, message_key, event_type,"
                        + " subject, payload, created_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                // the table it writes: otherwise Hibernate assumes a native statement changed every entity
                // table and, at commit, works through every entity and collection mapping to say so
                .addSynchronizedQuerySpace(OutboxEvent.TABLE)
                .setParameter(1, eventId)
                .setParameter(2, topic)
                .setParameter(3, key)
                .setParameter(4, type)
                .setParameter(5, subject, String.class)
                .setParameter(6, payload)
                .setParameter(7, createdAt)
                // no entity maps this table: the caller's pending changes need not be flushed before it
                .setFlushMode(FlushModeType.COMMIT)
                .executeUpdate();
        written.fire(new Written());
    }
}
