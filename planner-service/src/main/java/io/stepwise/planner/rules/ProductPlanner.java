package io.stepwise.planner.rules;

import io.stepwise.model.Product;
import io.stepwise.planner.catalog.VersionCatalog;
import org.semver4j.Semver;

/**
 * The vendor's rules for one product. The {@link PlanningEngine} has already checked what every product
 * shares (W1: versions parse, the target is released and not blocked, products match, C ≠ T); an
 * implementation decides the path and the steps, or throws {@link PlanRefusedException} saying why not.
 */
public interface ProductPlanner {

    Product product();

    Plan plan(ClusterFacts cluster, Semver from, Semver to, VersionCatalog catalog, PlanBuilder plan,
              PlanningPolicy policy);
}
