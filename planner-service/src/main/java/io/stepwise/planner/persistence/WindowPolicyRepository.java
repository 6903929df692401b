package io.stepwise.planner.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.stepwise.planner.domain.WindowPolicy;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class WindowPolicyRepository implements PanacheRepositoryBase<WindowPolicy, String> {
}
