package io.stepwise.planner.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepwise.model.DeploymentKind;
import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.planner.catalog.CatalogFiles;
import io.stepwise.planner.catalog.ReleaseLine;
import io.stepwise.planner.catalog.VersionCatalog;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The rules emit exactly the step kinds each product declares ({@link Product#stepKinds()}, which the executor's
 * handlers are checked against): every version of the built-in catalog planned to every line of it, with the Postgres
 * version unknown (which asks for a MANUAL_APPROVAL before Pachyderm 2.10). The deployment changes no step's kind.
 */
class StepKindDeclarationTest {

    private static final PlanningEngine ENGINE = RuleTables.ENGINE;

    @ParameterizedTest
    @EnumSource(Product.class)
    void theRulesEmitEveryDeclaredStepKindAndNoOther(Product product) {
        VersionCatalog catalog = CatalogFiles.builtIn(product);
        Map<StepKind, String> emitted = new EnumMap<>(StepKind.class);
        int plans = 0;
        for (ReleaseLine from : catalog.lines()) {
            for (int patch = from.firstPatch(); patch <= from.latestPatch(); patch++) {
                String current = from.patch(patch).getVersion();
                ClusterFacts cluster = new ClusterFacts("c1", product, current, 3, DeploymentKind.KUBERNETES, null);
                for (ReleaseLine to : catalog.lines()) {
                    PlanOutcome outcome = ENGINE.plan(cluster, product, TargetVersion.parse(to.name()).orElseThrow(),
                            catalog, PlanningPolicy.DEFAULT, null);
                    if (outcome instanceof Plan plan) {
                        plans++;
                        for (PlannedStep step : plan.steps()) {
                            emitted.putIfAbsent(step.kind(), current + " → " + to.name());
                        }
                    }
                }
            }
        }

        assertThat(plans).as("plans made").isPositive();
        assertThat(emitted).as("the %s step kinds some plan holds, with the first plan that did", product.id())
                .containsOnlyKeys(product.stepKinds());
    }
}
