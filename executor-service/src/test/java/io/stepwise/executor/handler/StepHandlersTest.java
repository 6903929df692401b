package io.stepwise.executor.handler;

import static io.stepwise.executor.support.SimulatorResource.simulator;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stepwise.executor.support.RecordingProgress;
import io.stepwise.executor.support.SimulatorResource;
import io.stepwise.executor.support.TestClusters;
import io.stepwise.model.ClusterConnection;
import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import io.stepwise.simulator.ClusterSpec;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(SimulatorResource.class)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
class StepHandlersTest {

    @Inject
    StepHandlers handlers;

    @Test
    void everyKindOfThePlanningRulesHasAHandlerForItsProduct() {
        for (Product product : Product.values()) {
            for (StepKind kind : StepKind.values()) {
                assertThat(handlers.find(product, kind)).as("%s %s", product.id(), kind)
                        .matches(h -> h.isPresent() == product.executorStepKinds().contains(kind));
            }
        }
        handlers.find(Product.WEAVIATE, StepKind.UPGRADE).ifPresent(h -> assertThat(h.kind()).isEqualTo(StepKind.UPGRADE));
    }

    @Test
    void aStepWithoutAHandlerOrWithMissingParametersFailsWithAReasonAndNeverThrows() {
        var cluster = simulator().createCluster(ClusterSpec.weaviate("no-handler", "1.26.18", 1, "docker"));
        TestClusters steps = TestClusters.of(cluster);

        StepOutcome approval = handlers.execute(steps.step(StepKind.MANUAL_APPROVAL, null, Map.of("reason", "x")),
                new RecordingProgress());
        StepOutcome noNodes = handlers.execute(steps.step(StepKind.SYNC_CHECK), new RecordingProgress());
        StepOutcome noVersion = handlers.execute(steps.step(StepKind.VERIFY), new RecordingProgress());
        StepRequested noDeployment = new StepRequested("s-x", "r-x", "no-handler", 1, 1, Product.WEAVIATE, StepKind.UPGRADE,
                "1.27.27", Map.of(), new ClusterConnection(cluster.endpoint(), null, null, null, null, null, Map.of()));
        StepOutcome upgrade = handlers.execute(noDeployment, new RecordingProgress());

        assertThat(approval.succeeded()).isFalse();
        assertThat(approval.message()).contains("no MANUAL_APPROVAL handler");
        assertThat(noNodes.message()).contains("lacks 'expectedNodes'");
        assertThat(noVersion.message()).contains("has no toVersion");
        assertThat(upgrade.succeeded()).isFalse();
        assertThat(upgrade.message()).contains("no deployment kind");
        assertThat(simulator().weaviate("no-handler").allNodesOn("1.26.18")).isTrue();
    }
}
