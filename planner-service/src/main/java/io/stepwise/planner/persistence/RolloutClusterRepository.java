package io.stepwise.planner.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.stepwise.model.ClusterPlanState;
import io.stepwise.planner.domain.RolloutCluster;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class RolloutClusterRepository implements PanacheRepositoryBase<RolloutCluster, RolloutCluster.Key> {

    public List<RolloutCluster> ofRollout(String rolloutId) {
        return list("key.rolloutId = ?1 order by position", rolloutId);
    }

    public List<RolloutCluster> inState(String rolloutId, ClusterPlanState state) {
        return list("key.rolloutId = ?1 and state = ?2 order by position", rolloutId, state);
    }

    /**
     * How many of the rollout's clusters are in each state (absent states count 0). A plain HQL query rather
     * than Panache's {@code count}, whose count query is rebuilt on every call: this runs after every cluster
     * that ends, in rollouts of thousands of clusters.
     */
    public Map<ClusterPlanState, Long> countByState(String rolloutId) {
        Map<ClusterPlanState, Long> counts = new EnumMap<>(ClusterPlanState.class);
        for (ClusterPlanState state : ClusterPlanState.values()) {
            counts.put(state, 0L);
        }
        getEntityManager().createQuery("select c.state, count(c) from RolloutCluster c where c.key.rolloutId = ?1"
                        + " group by c.state", Object[].class)
                .setParameter(1, rolloutId)
                .getResultList()
                .forEach(row -> counts.put((ClusterPlanState) row[0], (Long) row[1]));
        return counts;
    }

    /** The next clusters of the wave to start, in selection order. */
    public List<RolloutCluster> firstWaiting(String rolloutId, int wave, int limit) {
        return find("key.rolloutId = ?1 and wave = ?2 and state = ?3 order by position", rolloutId, wave,
                ClusterPlanState.WAITING).page(0, limit).list();
    }

    /** The lowest wave that still has a cluster not in an end state, or null when every cluster ended. */
    public Integer lowestOpenWave(String rolloutId) {
        return getEntityManager().createQuery("select min(c.wave) from RolloutCluster c where c.key.rolloutId = ?1"
                        + " and c.state in ?2", Integer.class)
                .setParameter(1, rolloutId)
                .setParameter(2, List.of(ClusterPlanState.WAITING, ClusterPlanState.RUNNING,
                        ClusterPlanState.AWAITING_APPROVAL))
                .getSingleResult();
    }

    public RolloutCluster find(String rolloutId, String clusterId) {
        return findById(new RolloutCluster.Key(rolloutId, clusterId));
    }
}
