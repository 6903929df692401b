package io.stepwise.planner.persistence;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
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

    /** One page of the rollout's clusters in selection order, all of them or those in one state. */
    public List<RolloutCluster> page(String rolloutId, ClusterPlanState state, int page, int size) {
        PanacheQuery<RolloutCluster> query = state == null
                ? find("key.rolloutId = :rollout order by position", Parameters.with("rollout", rolloutId))
                : find("key.rolloutId = :rollout and state = :state order by position",
                        Parameters.with("rollout", rolloutId).and("state", state));
        return query.page(page, size).list();
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
     * The rollout's {@link Progress}, asked whenever one of its clusters ends: two probes of the partial indexes of
     * {@code V5__open_clusters_index.sql}, whose predicates the state lists repeat (Postgres uses a partial index
     * only for a condition that implies its predicate). The synchronized entity keeps the auto-flush.
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

    /** How many of the rollout's clusters of this wave are in this state. */
    public long countIn(String rolloutId, int wave, ClusterPlanState state) {
        return ((Number) getSession().createNativeQuery("select count(*) from rollout_cluster where rollout_id = ?1"
                        + " and wave = ?2 and state = ?3", Object.class)
                .addSynchronizedEntityClass(RolloutCluster.class)
                .setParameter(1, rolloutId)
                .setParameter(2, wave)
                .setParameter(3, state.name())
                .getSingleResult()).longValue();
    }

    /** How many of the rollout's clusters are in this state with this code. */
    public long countRefused(String rolloutId, ClusterPlanState state, String code) {
        return count("key.rolloutId = ?1 and state = ?2 and refusalCode = ?3", rolloutId, state, code);
    }

    /** The clusters of unfinished rollouts that wait to begin their next segment (a freeze, a window). */
    public List<RolloutCluster> deferred() {
        return list("deferred is not null and state = ?1", ClusterPlanState.RUNNING);
    }

    /** Counts the rollout's clusters by wave and state; it reads them all, so hot paths ask {@link #progress}. */
    public ClusterTally tally(String rolloutId) {
        return tallies(List.of(rolloutId)).get(rolloutId);
    }

    /**
     * The tallies of these rollouts in one query. Native SQL with an array, because Hibernate translates an HQL
     * {@code in} with a list anew on every call; the synchronized entity keeps the auto-flush.
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
     * Loads these clusters of the rollout into the persistence context in one primary-key probe with an array (a
     * multi-load would send the composite ids a few pairs at a time), for {@link #find} to meet them there.
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
     * Refreshes Postgres's statistics of the table after a bulk load, as its manual advises: for a rollout id the
     * statistics have not seen, {@link #load} would read every cluster of the rollout instead of probing the key.
     * {@code skip_locked}: the rollout never waits for autovacuum.
     */
    public void refreshStatistics() {
        getSession().doWork(connection -> {
            try (Statement analyze = connection.createStatement()) {
                analyze.execute("analyze (skip_locked) rollout_cluster");
            }
        });
    }

    /** The position after the rollout's last cluster: where a cluster that joins it goes. */
    public int nextPosition(String rolloutId) {
        return ((Number) getSession().createNativeQuery("select coalesce(max(position), -1) + 1 from rollout_cluster"
                        + " where rollout_id = ?1", Object.class)
                .addSynchronizedEntityClass(RolloutCluster.class)
                .setParameter(1, rolloutId)
                .getSingleResult()).intValue();
    }

    public RolloutCluster find(String rolloutId, String clusterId) {
        return findById(new RolloutCluster.Key(rolloutId, clusterId));
    }
}
