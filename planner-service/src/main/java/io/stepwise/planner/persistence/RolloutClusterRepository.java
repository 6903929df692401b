package io.stepwise.planner.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.stepwise.model.ClusterPlanState;
import io.stepwise.planner.domain.ClusterTally;
import io.stepwise.planner.domain.RolloutCluster;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.FlushMode;
import org.hibernate.jpa.HibernateHints;

@ApplicationScoped
public class RolloutClusterRepository implements PanacheRepositoryBase<RolloutCluster, RolloutCluster.Key> {

    public List<RolloutCluster> ofRollout(String rolloutId) {
        return list("key.rolloutId = ?1 order by position", rolloutId);
    }

    /** These clusters of the rollout, in selection order; at most a few thousand ids (one parameter each). */
    public List<RolloutCluster> named(String rolloutId, java.util.Collection<String> clusterIds) {
        return list("key.rolloutId = ?1 and key.clusterId in ?2 order by position", rolloutId, clusterIds);
    }

    /**
     * What a watch compares to see which of the rollout's clusters changed: per cluster, in selection order, its id
     * and its state, current step, message and end as one string. Plain columns, not entities: a watch reads this
     * every second while the rollout changes, for rollouts of tens of thousands of clusters.
     */
    public List<String[]> signatures(String rolloutId) {
        return getSession().createNativeQuery("select cluster_id, concat(state, '|', current_seq, '|', finished_at,"
                        + " '|', message) from rollout_cluster where rollout_id = ?1 order by position", Object[].class)
                .setParameter(1, rolloutId)
                .getResultList().stream()
                .map(row -> new String[] {(String) row[0], (String) row[1]})
                .toList();
    }

    public List<RolloutCluster> inState(String rolloutId, ClusterPlanState state) {
        return list("key.rolloutId = ?1 and state = ?2 order by position", rolloutId, state);
    }

    /** What moving a rollout on needs: its lowest wave with a cluster not yet ended, and how many clusters run. */
    public record Progress(Integer lowestOpenWave, long active) {

        public boolean allEnded() {
            return lowestOpenWave == null;
        }
    }

    /**
     * The rollout's {@link Progress}, asked whenever one of its clusters ends: two index probes that read only
     * clusters not yet ended (the partial index {@code rollout_cluster_open_idx}) or running, so it costs the
     * same however many of the rollout's clusters have ended. The synchronized entity keeps the auto-flush, so it
     * sees the transaction's own changes. The state lists are those indexes' predicates, written out as in
     * {@code V5__open_clusters_index.sql}: Postgres uses a partial index only for a condition that implies them.
     */
    public Progress progress(String rolloutId) {
        Object[] row = getSession().createNativeQuery("select (select wave from rollout_cluster where rollout_id = ?1"
                        + " and state in ('WAITING', 'RUNNING', 'AWAITING_APPROVAL') order by wave limit 1),"
                        + " (select count(*) from rollout_cluster where rollout_id = ?1"
                        + " and state in ('RUNNING', 'AWAITING_APPROVAL'))", Object[].class)
                .addSynchronizedEntityClass(RolloutCluster.class)
                .setParameter(1, rolloutId)
                .getSingleResult();
        return new Progress(row[0] == null ? null : ((Number) row[0]).intValue(), ((Number) row[1]).longValue());
    }

    /** How many of the rollout's clusters are in this state (an index range: meant for the few FAILED ones). */
    public long countIn(String rolloutId, ClusterPlanState state) {
        return ((Number) getSession().createNativeQuery("select count(*) from rollout_cluster where rollout_id = ?1"
                        + " and state = ?2", Object.class)
                .addSynchronizedEntityClass(RolloutCluster.class)
                .setParameter(1, rolloutId)
                .setParameter(2, state.name())
                .getSingleResult()).longValue();
    }

    /**
     * Counts the rollout's clusters by wave and state in one query: what a view of the rollout shows, and its
     * summary when it finishes. It reads every cluster of the rollout, so the path run whenever a cluster ends asks
     * {@link #progress} instead.
     */
    public ClusterTally tally(String rolloutId) {
        return tallies(List.of(rolloutId)).get(rolloutId);
    }

    /**
     * The tallies of these rollouts (one query for a page of them: a list shows counts, never the clusters). Native
     * SQL with an array: Hibernate translates an HQL {@code in ?1} with a list anew on every call (7 % of the
     * planner's CPU when this ran once per ended cluster). The synchronized entity keeps the auto-flush, so the
     * count sees the transaction's own changes.
     */
    public Map<String, ClusterTally> tallies(List<String> rolloutIds) {
        if (rolloutIds.isEmpty()) {
            return Map.of();
        }
        Map<String, List<Object[]>> rows = new HashMap<>();
        rolloutIds.forEach(id -> rows.put(id, new ArrayList<>()));
        getSession().createNativeQuery("select rollout_id, wave, state, count(*) from rollout_cluster"
                        + " where rollout_id = any(?1) group by rollout_id, wave, state", Object[].class)
                .addSynchronizedEntityClass(RolloutCluster.class)
                .setParameter(1, rolloutIds.toArray(String[]::new))
                .getResultList()
                .forEach(row -> rows.get((String) row[0]).add(Arrays.copyOfRange(row, 1, 4)));
        Map<String, ClusterTally> tallies = new HashMap<>();
        rows.forEach((id, counts) -> tallies.put(id, ClusterTally.of(counts)));
        return tallies;
    }

    /**
     * The next clusters of the wave to start, in selection order. Only right after {@link #progress}, which flushed
     * the transaction's changes: this query skips that flush (nothing it reads changes in between).
     */
    public List<RolloutCluster> firstWaiting(String rolloutId, int wave, int limit) {
        return find("key.rolloutId = ?1 and wave = ?2 and state = ?3 order by position", rolloutId, wave,
                ClusterPlanState.WAITING).withHint(HibernateHints.HINT_FLUSH_MODE, FlushMode.COMMIT)
                .page(0, limit).list();
    }

    /**
     * Loads these clusters of the rollout into the persistence context in one query, for {@link #find} to meet there:
     * one probe of the primary key with an array (Hibernate's multi-load sends a composite id as ten
     * {@code (rollout_id, cluster_id)} pairs at a time). It is a probe only once the table's statistics know the
     * rollout: see {@link #refreshStatistics}.
     */
    public void load(String rolloutId, Collection<String> clusterIds) {
        getSession().createNativeQuery("select * from rollout_cluster where rollout_id = ?1 and cluster_id = any(?2)",
                        RolloutCluster.class)
                .addSynchronizedEntityClass(RolloutCluster.class)
                .setParameter(1, rolloutId)
                .setParameter(2, clusterIds.toArray(String[]::new))
                .getResultList();
    }

    /**
     * Refreshes Postgres's statistics of the table, counting the rows this transaction added. Postgres takes a
     * rollout id its statistics have not seen for about one row, and then answers "these clusters of the rollout"
     * ({@link #load}) by reading every cluster of the rollout through another index: 1.3 ms a query at 1,000
     * clusters in the bench, growing with the rollout, for every part of a status batch. A bulk load is what
     * Postgres's manual says to follow with ANALYZE. It samples at most 30,000 rows however large the table is;
     * {@code skip_locked}: while autovacuum works on the table, the rollout does not wait for it.
     */
    public void refreshStatistics() {
        getSession().doWork(connection -> {
            try (Statement analyze = connection.createStatement()) {
                analyze.execute("analyze (skip_locked) rollout_cluster");
            }
        });
    }

    public RolloutCluster find(String rolloutId, String clusterId) {
        return findById(new RolloutCluster.Key(rolloutId, clusterId));
    }
}
