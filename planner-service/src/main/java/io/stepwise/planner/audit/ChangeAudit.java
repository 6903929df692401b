package io.stepwise.planner.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.planner.domain.AuditVerification;
import io.stepwise.planner.domain.ChangeAuditEntry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.hibernate.Session;

/**
 * The hash-chained record of changes to the inventory, the catalogs and the webhooks, one chain per registered
 * cluster, per product and per webhook: nothing about them changes silently, and editing, removing or appending an entry behind the planner's
 * back breaks {@link #verify}.
 */
@ApplicationScoped
public class ChangeAudit {

    /** What a chain is about. */
    public enum Kind {
        CLUSTER, CATALOG, STRATEGY, FREEZE, WINDOW_POLICY, WEBHOOK;

        public String id() {
            return name().toLowerCase();
        }
    }

    private final EntityManager em;
    private final ObjectMapper json;

    public ChangeAudit(EntityManager em, ObjectMapper json) {
        this.em = em;
        this.json = json;
    }

    /** One change to record: the subject's fields before and after (null before a creation, after a deletion). */
    public record Change(String subject, String type, Map<String, ?> before, Map<String, ?> after, String reason) {
    }

    /** Appends one change in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(Kind kind, String actor, Change change) {
        recordAll(kind, actor, List.of(change));
    }

    /**
     * Appends changes of distinct subjects in the caller's transaction, each entry holding the fields that differ,
     * with both values; a change that changes nothing is not recorded. A few statements whatever their number: an
     * inventory sync registers thousands at once.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordAll(Kind kind, String actor, List<Change> changes) {
        List<Change> real = changes.stream().filter(c -> !changed(c.before(), c.after()).isEmpty()).toList();
        if (real.isEmpty()) {
            return;
        }
        String[] subjects = real.stream().map(Change::subject).sorted().toArray(String[]::new);
        em.createNativeQuery("insert into change_audit_head (kind, subject, count, head) select ?1, s, 0, ?3"
                        + " from unnest(cast(?2 as text[])) as s on conflict do nothing")
                .setParameter(1, kind.id()).setParameter(2, subjects).setParameter(3, AuditTrail.GENESIS)
                .executeUpdate();
        Map<String, Object[]> heads = new HashMap<>();
        List<Object[]> rows = em.createNativeQuery("select subject, count, head from change_audit_head where kind = ?1"
                        + " and subject = any(cast(?2 as text[])) order by subject for update", Object[].class)
                .setParameter(1, kind.id()).setParameter(2, subjects).getResultList();
        rows.forEach(r -> heads.put((String) r[0], r));
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("insert into change_audit (kind, subject, seq,"
                    + " at, actor, type, details, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement head = connection.prepareStatement("update change_audit_head set count = ?,"
                         + " head = ? where kind = ? and subject = ?")) {
                for (Change change : real) {
                    Object[] row = heads.get(change.subject());
                    int seq = ((Number) row[1]).intValue() + 1;
                    String prevHash = (String) row[2];
                    Map<String, Object> details = new LinkedHashMap<>();
                    details.put("changes", changed(change.before(), change.after()));
                    if (change.reason() != null) {
                        details.put("reason", change.reason());
                    }
                    String text = toJson(details);
                    String hash = hash(kind.id(), change.subject(), seq, at, actor, change.type(), text, prevHash);
                    insert.setString(1, kind.id());
                    insert.setString(2, change.subject());
                    insert.setInt(3, seq);
                    insert.setTimestamp(4, Timestamp.from(at));
                    insert.setString(5, actor);
                    insert.setString(6, change.type());
                    insert.setString(7, text);
                    insert.setString(8, prevHash);
                    insert.setString(9, hash);
                    insert.addBatch();
                    head.setInt(1, seq);
                    head.setString(2, hash);
                    head.setString(3, kind.id());
                    head.setString(4, change.subject());
                    head.addBatch();
                }
                insert.executeBatch();
                head.executeBatch();
            }
        });
    }

    /** The chain of one subject, oldest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ChangeAuditEntry> of(Kind kind, String subject) {
        List<Object[]> rows = em.createNativeQuery("select kind, subject, seq, at, actor, type, details, prev_hash, hash"
                        + " from change_audit where kind = ?1 and subject = ?2 order by seq", Object[].class)
                .setParameter(1, kind.id()).setParameter(2, subject).getResultList();
        return rows.stream().map(r -> new ChangeAuditEntry((String) r[0], (String) r[1], ((Number) r[2]).intValue(),
                instant(r[3]), (String) r[4], (String) r[5], (String) r[6], (String) r[7], (String) r[8])).toList();
    }

    /** Recomputes the chain and names the first entry that was altered, removed or added. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public AuditVerification verify(Kind kind, String subject) {
        List<ChangeAuditEntry> chain = of(kind, subject);
        List<Object[]> heads = em.createNativeQuery("select count, head from change_audit_head where kind = ?1 and"
                        + " subject = ?2", Object[].class)
                .setParameter(1, kind.id()).setParameter(2, subject).getResultList();
        int count = heads.isEmpty() ? 0 : ((Number) heads.get(0)[0]).intValue();
        String last = heads.isEmpty() ? AuditTrail.GENESIS : (String) heads.get(0)[1];
        String previous = AuditTrail.GENESIS;
        for (int i = 0; i < chain.size(); i++) {
            ChangeAuditEntry e = chain.get(i);
            int expected = i + 1;
            if (e.seq() != expected) {
                return new AuditVerification(false, chain.size(), expected, "entry " + expected + " is missing");
            }
            if (!e.prevHash().equals(previous)) {
                return new AuditVerification(false, chain.size(), expected, "entry " + expected
                        + " does not chain to the entry before it (an entry before it was removed or altered)");
            }
            if (!e.hash().equals(hash(e.kind(), e.subject(), e.seq(), e.at(), e.actor(), e.type(), e.details(),
                    e.prevHash()))) {
                return new AuditVerification(false, chain.size(), expected, "entry " + expected
                        + " was altered: its content no longer matches its hash");
            }
            previous = e.hash();
        }
        if (chain.size() != count || !previous.equals(last)) {
            return new AuditVerification(false, chain.size(), Math.min(chain.size(), count) + 1, "the chain ends at"
                    + " entry " + chain.size() + " but " + count + " entries were recorded: entries were removed or added");
        }
        return new AuditVerification(true, chain.size(), null, null);
    }

    private static String hash(String kind, String subject, int seq, Instant at, String actor, String type,
                               String details, String prevHash) {
        return AuditTrail.sha256(prevHash, kind, subject, String.valueOf(seq), at.toString(), actor, type, details);
    }

    /** The fields whose values differ, each as {before, after}, in field-name order. */
    private static Map<String, Object> changed(Map<String, ?> before, Map<String, ?> after) {
        Map<String, Object> changes = new LinkedHashMap<>();
        TreeSet<String> fields = new TreeSet<>();
        if (before != null) {
            fields.addAll(before.keySet());
        }
        if (after != null) {
            fields.addAll(after.keySet());
        }
        for (String field : fields) {
            Object was = before == null ? null : before.get(field);
            Object is = after == null ? null : after.get(field);
            if (!Objects.equals(was, is)) {
                Map<String, Object> change = new LinkedHashMap<>();
                change.put("before", was);
                change.put("after", is);
                changes.put(field, change);
            }
        }
        return changes;
    }

    private static Instant instant(Object value) {
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        return value instanceof OffsetDateTime o ? o.toInstant() : (Instant) value;
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit details cannot be written as JSON", e);
        }
    }
}
