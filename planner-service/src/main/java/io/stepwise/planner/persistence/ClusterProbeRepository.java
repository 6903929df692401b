package io.stepwise.planner.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.model.ProbeResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the executor found on clusters it was asked to probe (table {@code cluster_probe}), by probe id. */
@ApplicationScoped
public class ClusterProbeRepository {

    private final EntityManager em;
    private final ObjectMapper json;

    public ClusterProbeRepository(EntityManager em, ObjectMapper json) {
        this.em = em;
        this.json = json;
    }

    /** Keeps a probe's result; a second answer to the same probe replaces the first. */
    public void record(ProbeResult result) {
        em.createNativeQuery("insert into cluster_probe (probe_id, cluster_id, version, node_versions, nodes, error,"
                        + " probed_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7) on conflict (probe_id) do update set"
                        + " version = excluded.version, node_versions = excluded.node_versions, nodes = excluded.nodes,"
                        + " error = excluded.error, probed_at = excluded.probed_at")
                .setParameter(1, result.probeId())
                .setParameter(2, result.clusterId())
                .setParameter(3, result.version())
                .setParameter(4, write(result.nodeVersions()))
                .setParameter(5, result.nodes())
                .setParameter(6, result.error())
                .setParameter(7, Timestamp.from(result.at() == null ? Instant.now() : result.at()))
                .executeUpdate();
    }

    /** The results of these probes that have arrived, by probe id. */
    public Map<String, ProbeResult> find(Collection<String> probeIds) {
        Map<String, ProbeResult> found = new HashMap<>();
        if (probeIds.isEmpty()) {
            return found;
        }
        List<Object[]> rows = em.createNativeQuery("select probe_id, cluster_id, version, node_versions, nodes, error,"
                        + " probed_at from cluster_probe where probe_id = any(cast(?1 as text[]))", Object[].class)
                .setParameter(1, probeIds.toArray(String[]::new))
                .getResultList();
        for (Object[] row : rows) {
            found.put((String) row[0], new ProbeResult((String) row[0], (String) row[1], (String) row[2],
                    read((String) row[3]), row[4] == null ? null : ((Number) row[4]).intValue(), (String) row[5],
                    instant(row[6])));
        }
        return found;
    }

    private static Instant instant(Object value) {
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        return value instanceof OffsetDateTime o ? o.toInstant() : (Instant) value;
    }

    private String write(List<String> versions) {
        try {
            return json.writeValueAsString(versions);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private List<String> read(String text) {
        try {
            return text == null ? List.of() : json.readValue(text, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }
}
