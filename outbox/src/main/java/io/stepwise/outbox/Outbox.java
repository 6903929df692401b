package io.stepwise.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.action.spi.BeforeTransactionCompletionProcess;
import org.hibernate.engine.spi.SessionImplementor;

/**
 * Writes outgoing events into the outbox table inside the caller's transaction (there must be one): an event
 * exists exactly when the state change it announces was committed. {@link OutboxRelay} publishes it afterwards.
 *
 * <p>A transaction's events are inserted together, in the order published, as one JDBC batch just before it
 * commits (after Hibernate's own flush, in the same transaction): a planner's status batch publishes hundreds,
 * and one statement each was a round trip each on the consumer's path. Nothing reads the outbox inside the
 * transaction that writes it.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class Outbox {

    /** Fired once per transaction that wrote outbox rows, so the relay wakes as soon as it commits. */
    public record Written() {
    }

    private record Row(String eventId, String topic, String key, String type, String subject, String payload,
                       Instant createdAt) {
    }

    /** The transaction's resource holding its unwritten rows. */
    private static final Object PENDING = Outbox.class.getName() + ".pending";

    private final EntityManager em;
    private final ObjectMapper json;
    private final Event<Written> written;
    private final TransactionSynchronizationRegistry transaction;

    public Outbox(EntityManager em, ObjectMapper json, Event<Written> written, TransactionSynchronizationRegistry transaction) {
        this.em = em;
        this.json = json;
        this.written = written;
        this.transaction = transaction;
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
        pending().add(new Row(eventId, topic, key, type, subject, payload, createdAt));
    }

    /** The transaction's rows not yet written; the first call registers their insert before it commits. */
    @SuppressWarnings("unchecked")
    private List<Row> pending() {
        List<Row> rows = (List<Row>) transaction.getResource(PENDING);
        if (rows == null) {
            List<Row> created = new ArrayList<>();
            transaction.putResource(PENDING, created);
            // Hibernate runs it after flushing the session's changes, on the transaction's connection
            em.unwrap(SessionImplementor.class).getActionQueue()
                    .registerProcess((BeforeTransactionCompletionProcess) session -> insert(session, created));
            written.fire(new Written());
            rows = created;
        }
        return rows;
    }

    private static void insert(SessionImplementor session, List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        session.doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("insert into " + OutboxEvent.TABLE
                    + " (event_id, topic, message_key, event_type, subject, payload, created_at)"
                    + " values (?, ?, ?, ?, ?, ?, ?)")) {
                for (Row row : rows) {
                    insert.setString(1, row.eventId());
                    insert.setString(2, row.topic());
                    insert.setString(3, row.key());
                    insert.setString(4, row.type());
                    insert.setString(5, row.subject());
                    insert.setString(6, row.payload());
                    insert.setObject(7, row.createdAt().atOffset(ZoneOffset.UTC));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        });
        rows.clear();
    }
}
