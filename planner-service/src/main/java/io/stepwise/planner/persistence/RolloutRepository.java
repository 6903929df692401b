package io.stepwise.planner.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.stepwise.planner.domain.Rollout;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class RolloutRepository implements PanacheRepositoryBase<Rollout, String> {
}
