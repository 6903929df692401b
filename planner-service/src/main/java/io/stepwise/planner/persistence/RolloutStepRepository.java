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

    /** The cluster's steps after {@code seq}, in order. */
    public List<RolloutStep> after(String rolloutId, String clusterId, int seq) {
        return list("rolloutId = ?1 and clusterId = ?2 and seq > ?3 order by seq", rolloutId, clusterId, seq);
    }

    /** The seq of the last step of the cluster's plan in this segment. */
    public int lastOfSegment(String rolloutId, String clusterId, String segment) {
        return ((Number) getEntityManager().createQuery("select max(s.seq) from RolloutStep s where s.rolloutId = ?1"
                        + " and s.clusterId = ?2 and s.segment = ?3")
                .setParameter(1, rolloutId).setParameter(2, clusterId).setParameter(3, segment)
                .getSingleResult()).intValue();
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
