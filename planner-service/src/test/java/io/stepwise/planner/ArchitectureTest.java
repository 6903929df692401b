package io.stepwise.planner;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.stepwise.planner.domain.Rollout;
import io.stepwise.planner.domain.RolloutCluster;
import io.stepwise.planner.domain.RolloutStep;
import java.util.Set;

/**
 * The planner's house rules (docs/architecture.md): HTTP and Kafka only at the edge, the rollout's states changed
 * in one package, the planning rules free of frameworks and storage, no package cycles. Webhooks sit beside the
 * services: reached from the edge, sending with the JDK's HTTP client, never through JAX-RS.
 */
@AnalyzeClasses(packages = "io.stepwise.planner", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule edgesOnTopLifecycleBelowServicesStorageAtTheBottom = layeredArchitecture()
            .consideringOnlyDependenciesInAnyPackage("io.stepwise.planner..")
            .layer("rest").definedBy("io.stepwise.planner.rest..")
            .layer("messaging").definedBy("io.stepwise.planner.messaging..")
            .layer("webhooks").definedBy("io.stepwise.planner.webhooks..")
            .layer("service").definedBy("io.stepwise.planner.service..")
            .layer("lifecycle").definedBy("io.stepwise.planner.lifecycle..")
            .layer("audit").definedBy("io.stepwise.planner.audit..")
            .layer("persistence").definedBy("io.stepwise.planner.persistence..")
            .layer("domain").definedBy("io.stepwise.planner.domain..")
            .layer("rules").definedBy("io.stepwise.planner.rules..", "io.stepwise.planner.catalog..")
            .whereLayer("rest").mayNotBeAccessedByAnyLayer()
            .whereLayer("messaging").mayNotBeAccessedByAnyLayer()
            .whereLayer("webhooks").mayOnlyBeAccessedByLayers("rest", "messaging")
            .whereLayer("service").mayOnlyBeAccessedByLayers("rest", "messaging", "webhooks")
            .whereLayer("lifecycle").mayOnlyBeAccessedByLayers("service")
            .whereLayer("audit").mayOnlyBeAccessedByLayers("service", "lifecycle", "webhooks")
            .whereLayer("persistence").mayOnlyBeAccessedByLayers("service", "lifecycle", "audit")
            .whereLayer("domain").mayOnlyBeAccessedByLayers("rest", "messaging", "service", "lifecycle", "audit",
                    "persistence", "webhooks");

    @ArchTest
    static final ArchRule planningRulesKnowNoFrameworkNorStorage = noClasses()
            .that().resideInAnyPackage("io.stepwise.planner.rules..", "io.stepwise.planner.catalog..")
            .should().dependOnClassesThat().resideInAnyPackage("io.stepwise.planner.persistence..",
                    "io.stepwise.planner.service..", "io.stepwise.planner.rest..", "io.stepwise.planner.lifecycle..",
                    "io.stepwise.planner.domain..", "io.quarkus..", "jakarta..", "org.hibernate..",
                    "org.eclipse.microprofile..", "io.smallrye..");

    private static final Set<String> STATES = Set.of(Rollout.class.getName() + ".state",
            RolloutCluster.class.getName() + ".state", RolloutStep.class.getName() + ".state");

    @ArchTest
    static final ArchRule onlyTheLifecycleChangesStates = noClasses()
            .that().resideOutsideOfPackage("io.stepwise.planner.lifecycle..")
            .should().setFieldWhere(new DescribedPredicate<JavaFieldAccess>(
                    "the target is the state of a rollout, of a cluster in it or of a step") {
                @Override
                public boolean test(JavaFieldAccess access) {
                    return STATES.contains(access.getTarget().getOwner().getName() + "."
                            + access.getTarget().getName());
                }
            });

    @ArchTest
    static final ArchRule theLifecycleSpeaksNoHttp = noClasses()
            .that().resideInAnyPackage("io.stepwise.planner.service..", "io.stepwise.planner.lifecycle..",
                    "io.stepwise.planner.audit..", "io.stepwise.planner.domain..", "io.stepwise.planner.persistence..",
                    "io.stepwise.planner.webhooks..")
            .should().dependOnClassesThat().resideInAnyPackage("jakarta.ws.rs..", "org.jboss.resteasy..");

    @ArchTest
    static final ArchRule thePlannerNeverReachesIntoTheExecutor = noClasses()
            .should().dependOnClassesThat().resideInAPackage("io.stepwise.executor..");

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.stepwise.planner.(**)").should().beFreeOfCycles();
}
