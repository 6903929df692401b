package io.stepwise.planner.webhooks;

import io.stepwise.planner.webhooks.Delivery.State;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.hibernate.Session;

/** The webhook and webhook_delivery tables (V11__webhooks.sql). */
@ApplicationScoped
class WebhookStore {

    private static final String WEBHOOK_COLUMNS = "id, url, types, rollout_id, created_at, created_by";
    private static final String DELIVERY_COLUMNS = "id, webhook_id, event_id, event_type, rollout_id, state, attempts,"
            + " last_status, last_error, next_attempt_at, delivered_at, created_at";

    /** A delivery an instance has taken to send now, with what sending it needs. */
    record Claimed(long id, String url, String secret, String body, int attempts) {
    }

    /** A delivery to write: the CloudEvent {@code body} of one event for one webhook. */
    record NewDelivery(String webhookId, String eventId, String eventType, String rolloutId, String body) {
    }

    private final EntityManager em;

    WebhookStore(EntityManager em) {
        this.em = em;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void insert(Webhook webhook, String secret) {
        em.createNativeQuery("insert into webhook (id, url, secret, types, rollout_id, created_at, created_by)"
                        + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                .setParameter(1, webhook.id()).setParameter(2, webhook.url()).setParameter(3, secret)
                .setParameter(4, String.join(",", webhook.types())).setParameter(5, webhook.rolloutId())
                .setParameter(6, Timestamp.from(webhook.createdAt())).setParameter(7, webhook.createdBy())
                .executeUpdate();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    boolean delete(String id) {
        return em.createNativeQuery("delete from webhook where id = ?1").setParameter(1, id).executeUpdate() > 0;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    Webhook find(String id) {
        List<Object[]> rows = em.createNativeQuery("select " + WEBHOOK_COLUMNS + " from webhook where id = ?1",
                Object[].class).setParameter(1, id).getResultList();
        return rows.isEmpty() ? null : webhook(rows.get(0));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    List<Webhook> all() {
        List<Object[]> rows = em.createNativeQuery("select " + WEBHOOK_COLUMNS + " from webhook order by created_at,"
                + " id", Object[].class).getResultList();
        return rows.stream().map(WebhookStore::webhook).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    List<Webhook> page(int offset, int limit) {
        List<Object[]> rows = em.createNativeQuery("select " + WEBHOOK_COLUMNS + " from webhook order by created_at,"
                + " id offset ?1 limit ?2", Object[].class).setParameter(1, offset).setParameter(2, limit)
                .getResultList();
        return rows.stream().map(WebhookStore::webhook).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    long count() {
        return ((Number) em.createNativeQuery("select count(*) from webhook").getSingleResult()).longValue();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    boolean rolloutExists(String rolloutId) {
        return !em.createNativeQuery("select 1 from rollout where id = ?1").setParameter(1, rolloutId)
                .getResultList().isEmpty();
    }

    /** The webhook's deliveries in the state (any when null), newest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    List<Delivery> deliveries(String webhookId, State state, int offset, int limit) {
        List<Object[]> rows = em.createNativeQuery("select " + DELIVERY_COLUMNS + " from webhook_delivery"
                        + " where webhook_id = ?1 and (cast(?2 as text) is null or state = cast(?2 as text))"
                        + " order by id desc offset ?3 limit ?4", Object[].class)
                .setParameter(1, webhookId).setParameter(2, state == null ? null : state.name())
                .setParameter(3, offset).setParameter(4, limit).getResultList();
        return rows.stream().map(WebhookStore::delivery).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    long countDeliveries(String webhookId, State state) {
        return ((Number) em.createNativeQuery("select count(*) from webhook_delivery where webhook_id = ?1"
                        + " and (cast(?2 as text) is null or state = cast(?2 as text))")
                .setParameter(1, webhookId).setParameter(2, state == null ? null : state.name())
                .getSingleResult()).longValue();
    }

    /** Writes the deliveries due now; one already written for the same webhook and event is left as it is. */
    @Transactional(Transactional.TxType.MANDATORY)
    void enqueue(List<NewDelivery> deliveries, Instant now) {
        if (deliveries.isEmpty()) {
            return;
        }
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("insert into webhook_delivery (webhook_id,"
                    + " event_id, event_type, rollout_id, body, state, attempts, next_attempt_at, created_at)"
                    + " values (?, ?, ?, ?, ?, 'PENDING', 0, ?, ?) on conflict (webhook_id, event_id) do nothing")) {
                for (NewDelivery d : deliveries) {
                    insert.setString(1, d.webhookId());
                    insert.setString(2, d.eventId());
                    insert.setString(3, d.eventType());
                    insert.setString(4, d.rolloutId());
                    insert.setString(5, d.body());
                    insert.setTimestamp(6, Timestamp.from(now));
                    insert.setTimestamp(7, Timestamp.from(now));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        });
    }

    /**
     * Takes up to {@code limit} due deliveries for this instance: each is held until {@code leaseUntil} (when another
     * instance, or this one after a crash, may send it again), so no two instances send it at once.
     */
    @Transactional
    List<Claimed> claimDue(Instant now, Instant leaseUntil, int limit) {
        List<Object[]> rows = em.createNativeQuery("with due as (select id from webhook_delivery"
                        + " where state = 'PENDING' and next_attempt_at <= ?1 order by next_attempt_at, id limit ?2"
                        + " for update skip locked)"
                        + " update webhook_delivery d set next_attempt_at = ?3 from due, webhook w"
                        + " where d.id = due.id and w.id = d.webhook_id"
                        + " returning d.id, w.url, w.secret, d.body, d.attempts", Object[].class)
                .setParameter(1, Timestamp.from(now)).setParameter(2, limit).setParameter(3, Timestamp.from(leaseUntil))
                .getResultList();
        return rows.stream().map(r -> new Claimed(((Number) r[0]).longValue(), (String) r[1], (String) r[2],
                (String) r[3], ((Number) r[4]).intValue())).toList();
    }

    /** Records a 2xx answer. */
    @Transactional
    void delivered(long id, int status, Instant at) {
        em.createNativeQuery("update webhook_delivery set state = 'DELIVERED', attempts = attempts + 1,"
                        + " last_status = ?2, last_error = null, next_attempt_at = null, delivered_at = ?3"
                        + " where id = ?1 and state = 'PENDING'")
                .setParameter(1, id).setParameter(2, status).setParameter(3, Timestamp.from(at)).executeUpdate();
    }

    /** Records a failed attempt: PENDING again until {@code next}, or FAILED for good when {@code next} is null. */
    @Transactional
    void failed(long id, Integer status, String error, Instant next) {
        em.createNativeQuery("update webhook_delivery set state = ?2, attempts = attempts + 1, last_status = ?3,"
                        + " last_error = ?4, next_attempt_at = ?5 where id = ?1 and state = 'PENDING'")
                .setParameter(1, id).setParameter(2, next == null ? State.FAILED.name() : State.PENDING.name())
                .setParameter(3, status).setParameter(4, error)
                .setParameter(5, next == null ? null : Timestamp.from(next)).executeUpdate();
    }

    /** Deletes the ended deliveries created before {@code before}; returns how many. */
    @Transactional
    int deleteEnded(Instant before) {
        return em.createNativeQuery("delete from webhook_delivery where state <> 'PENDING' and created_at < ?1")
                .setParameter(1, Timestamp.from(before)).executeUpdate();
    }

    private static Webhook webhook(Object[] r) {
        String types = (String) r[2];
        return new Webhook((String) r[0], (String) r[1],
                types.isEmpty() ? List.of() : List.of(types.split(",")), (String) r[3], instant(r[4]),
                (String) r[5]);
    }

    private static Delivery delivery(Object[] r) {
        return new Delivery(((Number) r[0]).longValue(), (String) r[1], (String) r[2], (String) r[3], (String) r[4],
                State.valueOf((String) r[5]), ((Number) r[6]).intValue(),
                r[7] == null ? null : ((Number) r[7]).intValue(), (String) r[8], instant(r[9]), instant(r[10]),
                instant(r[11]));
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        return value instanceof OffsetDateTime o ? o.toInstant() : (Instant) value;
    }
}
