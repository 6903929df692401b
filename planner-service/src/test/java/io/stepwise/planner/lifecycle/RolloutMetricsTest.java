package io.stepwise.planner.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepState;
import io.stepwise.planner.testing.AdminByDefault;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import jakarta.inject.Inject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The step counters on /q/metrics count what was committed: a batch of status events that rolls back (and is
 * then applied again one event at a time) does not count its steps twice.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AdminByDefault.class, scope = TestResourceScope.GLOBAL)
class RolloutMetricsTest {

    @Inject
    RolloutMetrics metrics;
    @Inject
    MeterRegistry registry;

    @Test
    void aStepIsCountedWhenItsTransactionCommitsAndNotWhenItRollsBack() {
        // a kind and outcome no other test produces, so the count is this test's alone
        double before = finishedCount();
        Instant started = Instant.now().minusSeconds(5);

        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            metrics.finished(StepKind.SCHEMA_DOWNGRADE, StepState.FAILED, started, Instant.now());
            throw new IllegalStateException("the batch failed");
        })).hasMessageContaining("the batch failed");
        assertThat(finishedCount()).as("rolled back: not counted").isEqualTo(before);

        QuarkusTransaction.requiringNew().run(() ->
                metrics.finished(StepKind.SCHEMA_DOWNGRADE, StepState.FAILED, started, Instant.now()));
        assertThat(finishedCount()).as("committed: counted once").isEqualTo(before + 1);
    }

    private double finishedCount() {
        Counter counter = registry.find("stepwise.steps.finished").tag("kind", "SCHEMA_DOWNGRADE")
                .tag("state", "FAILED").counter();
        return counter == null ? 0 : counter.count();
    }
}
