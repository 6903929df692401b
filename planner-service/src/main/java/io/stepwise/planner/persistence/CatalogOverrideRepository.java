package io.stepwise.planner.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.stepwise.planner.domain.CatalogOverride;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class CatalogOverrideRepository implements PanacheRepositoryBase<CatalogOverride, String> {
}
