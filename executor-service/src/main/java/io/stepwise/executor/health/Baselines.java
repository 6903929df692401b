package io.stepwise.executor.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ledger's record of what clusters held before their rollouts changed them (table {@code content_baseline}), one
 * per rollout and cluster. Kept in the executor's database, so every executor, and one restarted, compares against
 * the same numbers.
 */
@ApplicationScoped
public class Baselines {

    private static final TypeReference<Map<String, Long>> COUNTS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, String>> NOT_COUNTED = new TypeReference<>() {
    };

    private final EntityManager em;
    private final ObjectMapper json;

    public Baselines(EntityManager em, ObjectMapper json) {
        this.em = em;
        this.json = json;
    }

    /** Records the baseline unless one is recorded for its rollout and cluster: the first one stays. */
    public void recordIfAbsent(Baseline b) {
        String counts = write(b.contents().counts());
        String notCounted = write(b.contents().notCounted());
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("insert into content_baseline (rollout_id,"
                        + " cluster_id, step_id, item_kind, unit, counts, not_counted, recorded_at)"
                        + " values (?1, ?2, ?3, ?4, ?5, cast(?6 as jsonb), cast(?7 as jsonb), ?8)"
                        + " on conflict (rollout_id, cluster_id) do nothing")
                .setParameter(1, b.rolloutId())
                .setParameter(2, b.clusterId())
                .setParameter(3, b.stepId())
                .setParameter(4, b.contents().itemKind())
                .setParameter(5, b.contents().unit())
                .setParameter(6, counts)
                .setParameter(7, notCounted)
                .setParameter(8, b.recordedAt())
                .executeUpdate());
    }

    @SuppressWarnings("unchecked")
    public Optional<Baseline> find(String rolloutId, String clusterId) {
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("select step_id,"
                        + " item_kind, unit, counts::text, not_counted::text, recorded_at from content_baseline"
                        + " where rollout_id = ?1 and cluster_id = ?2")
                .setParameter(1, rolloutId)
                .setParameter(2, clusterId)
                .getResultList());
        return rows.stream().findFirst().map(r -> new Baseline(rolloutId, clusterId, (String) r[0],
                new Contents((String) r[1], (String) r[2], read((String) r[3], COUNTS), read((String) r[4], NOT_COUNTED)),
                r[5] instanceof OffsetDateTime odt ? odt.toInstant() : (Instant) r[5]));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("content_baseline holds unreadable JSON: " + e.getOriginalMessage(), e);
        }
    }
}
