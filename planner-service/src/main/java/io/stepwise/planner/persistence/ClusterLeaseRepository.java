package io.stepwise.planner.persistence;

import io.stepwise.planner.domain.ClustersBusyException.BusyCluster;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which unfinished rollout holds each cluster (table {@code cluster_lease}). Leases are taken in cluster-id order,
 * so two transactions reaching for overlapping clusters wait for each other instead of deadlocking.
 */
@ApplicationScoped
public class ClusterLeaseRepository {

    private final EntityManager em;

    public ClusterLeaseRepository(EntityManager em) {
        this.em = em;
    }

    /** Takes the leases of these clusters that no rollout holds, for this rollout; answers those it took. */
    @SuppressWarnings("unchecked")
    public Set<String> acquire(String rolloutId, Collection<String> clusterIds) {
        if (clusterIds.isEmpty()) {
            return Set.of();
        }
        String[] sorted = clusterIds.stream().sorted().distinct().toArray(String[]::new);
        List<String> taken = em.createNativeQuery("insert into cluster_lease (cluster_id, rollout_id, acquired_at)"
                        + " select id, ?1, now() from unnest(cast(?2 as text[])) with ordinality as ids(id, n) order by n"
                        + " on conflict do nothing returning cluster_id", String.class)
                .setParameter(1, rolloutId)
                .setParameter(2, sorted)
                .getResultList();
        return new HashSet<>(taken);
    }

    /** The rollouts holding these clusters. */
    public List<BusyCluster> holders(Collection<String> clusterIds) {
        List<BusyCluster> holders = new ArrayList<>();
        em.createNativeQuery("select cluster_id, rollout_id from cluster_lease where cluster_id = any(cast(?1 as"
                        + " text[])) order by cluster_id", Object[].class)
                .setParameter(1, clusterIds.toArray(String[]::new))
                .getResultList()
                .forEach(row -> holders.add(new BusyCluster((String) ((Object[]) row)[0], (String) ((Object[]) row)[1])));
        return holders;
    }

    /** Gives back these clusters, if the rollout holds them. */
    public void release(String rolloutId, Collection<String> clusterIds) {
        if (!clusterIds.isEmpty()) {
            em.createNativeQuery("delete from cluster_lease where rollout_id = ?1 and cluster_id = any(cast(?2 as"
                            + " text[]))").setParameter(1, rolloutId).setParameter(2, clusterIds.toArray(String[]::new))
                    .executeUpdate();
        }
    }

    /** Gives back every cluster the rollout holds. */
    public void release(String rolloutId) {
        em.createNativeQuery("delete from cluster_lease where rollout_id = ?1").setParameter(1, rolloutId)
                .executeUpdate();
    }
}
