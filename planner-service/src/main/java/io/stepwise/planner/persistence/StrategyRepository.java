package io.stepwise.planner.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.stepwise.planner.domain.SavedStrategy;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class StrategyRepository implements PanacheRepositoryBase<SavedStrategy, String> {
}
