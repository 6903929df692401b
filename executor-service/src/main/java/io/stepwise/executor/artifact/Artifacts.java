package io.stepwise.executor.artifact;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * The ledger's record of artifacts (table {@code artifact}): what a step wrote, with its size and SHA-256, per cluster
 * and name. Kept in the executor's database, so it outlives the executor that wrote the file.
 */
@ApplicationScoped
public class Artifacts {

    private final EntityManager em;

    public Artifacts(EntityManager em) {
        this.em = em;
    }

    /** Records an artifact; one recorded before under the same cluster and name is replaced (a new dump). */
    public void record(Artifact a) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("insert into artifact (cluster_id, name,"
                        + " rollout_id, step_id, seq, kind, path, size_bytes, sha256, written_at)"
                        + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) on conflict (cluster_id, name) do update"
                        + " set rollout_id = excluded.rollout_id, step_id = excluded.step_id, seq = excluded.seq,"
                        + " kind = excluded.kind, path = excluded.path, size_bytes = excluded.size_bytes,"
                        + " sha256 = excluded.sha256, written_at = excluded.written_at")
                .setParameter(1, a.clusterId())
                .setParameter(2, a.name())
                .setParameter(3, a.rolloutId())
                .setParameter(4, a.stepId())
                .setParameter(5, a.seq())
                .setParameter(6, a.kind())
                .setParameter(7, a.path().toString())
                .setParameter(8, a.size())
                .setParameter(9, a.sha256())
                .setParameter(10, a.writtenAt())
                .executeUpdate());
    }

    public Optional<Artifact> find(String clusterId, String name) {
        return first(QuarkusTransaction.requiringNew().call(() -> rows(em.createNativeQuery("select " + COLUMNS
                        + " from artifact where cluster_id = ?1 and name = ?2")
                .setParameter(1, clusterId)
                .setParameter(2, name)
                .getResultList())));
    }

    /** The last artifact of {@code kind} a rollout's steps before {@code beforeSeq} wrote for a cluster. */
    public Optional<Artifact> lastOfRollout(String clusterId, String rolloutId, String kind, int beforeSeq) {
        return first(QuarkusTransaction.requiringNew().call(() -> rows(em.createNativeQuery("select " + COLUMNS
                        + " from artifact where cluster_id = ?1 and rollout_id = ?2 and kind = ?3 and seq < ?4"
                        + " order by seq desc limit 1")
                .setParameter(1, clusterId)
                .setParameter(2, rolloutId)
                .setParameter(3, kind)
                .setParameter(4, beforeSeq)
                .getResultList())));
    }

    private static final String COLUMNS = "cluster_id, name, rollout_id, step_id, seq, kind, path, size_bytes, sha256,"
            + " written_at";

    @SuppressWarnings("unchecked")
    private static List<Artifact> rows(List<?> rows) {
        return ((List<Object[]>) rows).stream().map(r -> new Artifact((String) r[0], (String) r[1], (String) r[2],
                (String) r[3], ((Number) r[4]).intValue(), (String) r[5], Path.of((String) r[6]),
                ((Number) r[7]).longValue(), ((String) r[8]).trim(), instant(r[9]))).toList();
    }

    private static Instant instant(Object value) {
        return value instanceof OffsetDateTime odt ? odt.toInstant() : (Instant) value;
    }

    private static Optional<Artifact> first(List<Artifact> artifacts) {
        return artifacts.stream().findFirst();
    }
}
