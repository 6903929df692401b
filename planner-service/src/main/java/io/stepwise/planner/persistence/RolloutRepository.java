package io.stepwise.planner.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.stepwise.planner.domain.Rollout;
import io.stepwise.planner.domain.Wave;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class RolloutRepository implements PanacheRepositoryBase<Rollout, String> {

    /**
     * The waves of these rollouts, by rollout id, in one query: a rollout loads its waves only when they are first
     * read, so a page of rollouts would otherwise load them one rollout at a time.
     */
    @SuppressWarnings("unchecked")
    public Map<String, List<Wave>> wavesOf(List<String> rolloutIds) {
        Map<String, List<Wave>> waves = new HashMap<>();
        if (rolloutIds.isEmpty()) {
            return waves;
        }
        getEntityManager().createQuery("select r.id, r.waves from Rollout r where r.id in ?1", Object[].class)
                .setParameter(1, rolloutIds)
                .getResultList()
                .forEach(row -> waves.put((String) row[0], (List<Wave>) row[1]));
        return waves;
    }
}
