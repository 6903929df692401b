package io.stepwise.executor;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The executor's house rules (docs/architecture.md): each product's knowledge in its own package, the shared
 * packages product-neutral, no package cycles, and no reach into the planner.
 */
@AnalyzeClasses(packages = "io.stepwise.executor", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule weaviateDoesNotKnowPachyderm = noClasses()
            .that().resideInAPackage("io.stepwise.executor.weaviate..")
            .should().dependOnClassesThat().resideInAPackage("io.stepwise.executor.pachyderm..");

    @ArchTest
    static final ArchRule pachydermDoesNotKnowWeaviate = noClasses()
            .that().resideInAPackage("io.stepwise.executor.pachyderm..")
            .should().dependOnClassesThat().resideInAPackage("io.stepwise.executor.weaviate..");

    @ArchTest
    static final ArchRule sharedPackagesKnowNoProduct = noClasses()
            .that().resideOutsideOfPackages("io.stepwise.executor.weaviate..", "io.stepwise.executor.pachyderm..")
            .should().dependOnClassesThat().resideInAnyPackage("io.stepwise.executor.weaviate..",
                    "io.stepwise.executor.pachyderm..");

    @ArchTest
    static final ArchRule theExecutorNeverReachesIntoThePlanner = noClasses()
            .should().dependOnClassesThat().resideInAPackage("io.stepwise.planner..");

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.stepwise.executor.(**)").should().beFreeOfCycles();
}
