package io.stepwise.planner.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.stepwise.model.ClusterPlanState;
import io.stepwise.planner.domain.RolloutCluster;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class RolloutClusterRepository implements PanacheRepositoryBase<RolloutCluster, RolloutCluster.Key> {

    public List<RolloutCluster> ofRollout(String rolloutId) {
        return list("key.rolloutId = ?1 order by position", rolloutId);
    }

    public List<RolloutCluster> inState(String rolloutId, ClusterPlanState state) {
        return list("key.rolloutId = ?1 and state = ?2 order by position", rolloutId, state);
    }

    public long countInState(String rolloutId, ClusterPlanState state) {
        return count("key.rolloutId = ?1 and state = ?2", rolloutId, state);
    }

    /** The next clusters to start, in selection order. */
    public List<RolloutCluster> firstWaiting(String rolloutId, int limit) {
        return find("key.rolloutId = ?1 and state = ?2 order by position", rolloutId, ClusterPlanState.WAITING)
                .page(0, limit).list();
    }

    /** Clusters not yet in an end state. */
    public long countOpen(String rolloutId) {
        return count("key.rolloutId = ?1 and state in ?2", rolloutId, List.of(ClusterPlanState.WAITING,
                ClusterPlanState.RUNNING, ClusterPlanState.AWAITING_APPROVAL));
    }

    public RolloutCluster find(String rolloutId, String clusterId) {
        return findById(new RolloutCluster.Key(rolloutId, clusterId));
    }
}
