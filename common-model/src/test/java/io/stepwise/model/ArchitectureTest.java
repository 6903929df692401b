package io.stepwise.model;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The contracts both services share use no framework: only the JDK, and Jackson's annotations for their JSON form.
 */
@AnalyzeClasses(packages = "io.stepwise.model", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule theContractsUseNoFramework = classes()
            .should().onlyDependOnClassesThat().resideInAnyPackage("io.stepwise.model..", "java..",
                    "com.fasterxml.jackson.annotation..");
}
