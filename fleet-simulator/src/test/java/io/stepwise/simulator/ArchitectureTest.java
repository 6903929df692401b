package io.stepwise.simulator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * No package cycles, the root package included: {@link FleetSimulator} and its admin API sit on top of the products,
 * which share only the kernel below them (core, ledger, fault, http). And neither product reaches into the other.
 */
@AnalyzeClasses(packages = "io.stepwise.simulator", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.stepwise.simulator.(**)").should().beFreeOfCycles();

    /**
     * The root package (FleetSimulator and the public values) is no slice of {@code io.stepwise.simulator.(**)}, so
     * the rule above alone passed while FleetSimulator and AdminRoutes imported each other: this one counts it too.
     */
    @ArchTest
    static final ArchRule noPackageCyclesThroughTheRootPackage = slices().matching("io.stepwise.(simulator..)")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule weaviateKnowsNothingOfPachyderm = noClasses()
            .that().resideInAPackage("io.stepwise.simulator.weaviate..")
            .should().dependOnClassesThat().resideInAPackage("io.stepwise.simulator.pachyderm..");

    @ArchTest
    static final ArchRule pachydermKnowsNothingOfWeaviate = noClasses()
            .that().resideInAPackage("io.stepwise.simulator.pachyderm..")
            .should().dependOnClassesThat().resideInAPackage("io.stepwise.simulator.weaviate..");
}
