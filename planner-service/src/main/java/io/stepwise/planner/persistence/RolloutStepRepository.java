package io.stepwise.planner.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.stepwise.planner.domain.RolloutStep;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;

@ApplicationScoped
public class RolloutStepRepository implements PanacheRepositoryBase<RolloutStep, String> {

    public List<RolloutStep> ofRollout(String rolloutId) {
        return list("rolloutId = ?1 order by clusterId, seq", rolloutId);
    }

    public RolloutStep find(String rolloutId, String clusterId, int seq) {
        return findById(RolloutStep.idOf(rolloutId, clusterId, seq));
    }

    /**
     * Loads these steps into the session in one query, so that finding them by id later costs no round trip
     * (Hibernate's multi-load: on Postgres one statement with an array parameter, prepared once for any number of
     * ids).
     */
    public void load(Collection<String> stepIds) {
        getSession().byMultipleIds(RolloutStep.class).multiLoad(List.copyOf(stepIds));
    }
}
