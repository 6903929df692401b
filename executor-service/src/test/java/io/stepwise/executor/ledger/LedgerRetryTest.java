package io.stepwise.executor.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stepwise.executor.handler.StepOutcome;
import io.stepwise.executor.support.SimulatorResource;
import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import io.stepwise.testing.KafkaResource;
import io.stepwise.testing.PostgresResource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The ledger over a database that drops the executor's connections (a Postgres restart or fail-over): the next
 * write meets a dead pooled connection, and the ledger writes again on a new one instead of losing the step's
 * end (which would leave the step unfinished until the executor restarts). A write that breaks a constraint is
 * not retried: it fails at once, so the consumer parks the request instead of stalling. Ends recorded together
 * ({@link Ledger#finished}) are all or none, so the runner can record them one by one after a failure.
 */
@QuarkusTest
@QuarkusTestResource(SimulatorResource.class)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
class LedgerRetryTest {

    @Inject
    Ledger ledger;

    @Test
    void aStepsEndIsRecordedWhenTheDatabaseDroppedEveryConnectionMeanwhile() throws SQLException {
        StepRequested step = new StepRequested(UUID.randomUUID().toString(), UUID.randomUUID().toString(), "db-drop-1",
                1, 1, Product.WEAVIATE, StepKind.VERIFY, "1.30.23", Map.of(), null);
        assertThat(ledger.record(List.of(new Ledger.Delivery(step, true)))).containsExactly(Ledger.Recorded.NEW);

        assertThat(dropTheExecutorsConnections()).as("connections the pool still holds").isPositive();
        ledger.retried(() -> ledger.finished(List.of(new Ledger.Finished(step, StepOutcome.succeeded("verified")))));

        assertThat(query("select state from step_execution where step_id = ?", step.stepId())).isEqualTo("SUCCEEDED");
        assertThat(query("select count(*) from outbox_event where event_id = ?", step.stepId() + ":1:succeeded"))
                .isEqualTo("1");
    }

    @Test
    void aWriteNoRetryCanCureFailsAtOnceInsteadOfStallingTheConsumer() {
        // step_execution.cluster_id is varchar(63), a Kubernetes name's limit: 64 characters break it for good
        StepRequested step = new StepRequested(UUID.randomUUID().toString(), UUID.randomUUID().toString(), "c".repeat(64),
                1, 1, Product.WEAVIATE, StepKind.VERIFY, "1.30.23", Map.of(), null);
        long start = System.nanoTime();

        Throwable failure = catchThrowable(
                () -> ledger.retried(() -> ledger.record(List.of(new Ledger.Delivery(step, true)))));

        assertThat(failure).isNotNull();
        // thirty retries half a second apart take 15 s at least; one failed insert takes milliseconds
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time to give up").isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void theEndsOfStepsRecordedTogetherAreRecordedAllOrNone() throws SQLException {
        StepRequested verified = step("together-1");
        StepRequested broken = step("together-2");
        ledger.record(List.of(new Ledger.Delivery(verified, true), new Ledger.Delivery(broken, true)));
        // observed_version is varchar(64): 65 characters break it
        List<Ledger.Finished> ends = List.of(new Ledger.Finished(verified, StepOutcome.succeeded("verified")),
                new Ledger.Finished(broken, StepOutcome.succeeded("verified", "1.".repeat(33))));

        assertThat(catchThrowable(() -> ledger.finished(ends))).isNotNull();
        assertThat(query("select state from step_execution where step_id = ?", verified.stepId()))
                .as("the end that was fine, after its batch failed").isEqualTo("RUNNING");
        assertThat(query("select count(*) from outbox_event where event_id = ?", verified.stepId() + ":1:succeeded"))
                .isEqualTo("0");

        ledger.finished(ends.subList(0, 1));
        long start = System.nanoTime();
        Throwable brokenAlone = catchThrowable(() -> ledger.retried(() -> ledger.finished(ends.subList(1, 2))));

        assertThat(query("select state from step_execution where step_id = ?", verified.stepId())).isEqualTo("SUCCEEDED");
        assertThat(query("select count(*) from outbox_event where event_id = ?", verified.stepId() + ":1:succeeded"))
                .isEqualTo("1");
        assertThat(brokenAlone).isNotNull();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the broken end, alone, is not retried")
                .isLessThan(Duration.ofSeconds(10));
        assertThat(query("select state from step_execution where step_id = ?", broken.stepId())).isEqualTo("RUNNING");
    }

    private static StepRequested step(String clusterId) {
        return new StepRequested(UUID.randomUUID().toString(), UUID.randomUUID().toString(), clusterId, 1, 1,
                Product.WEAVIATE, StepKind.VERIFY, "1.30.23", Map.of(), null);
    }

    private static int dropTheExecutorsConnections() throws SQLException {
        try (Connection c = PostgresResource.connect("postgres");
             PreparedStatement s = c.prepareStatement("select count(pg_terminate_backend(pid)) from pg_stat_activity"
                     + " where datname = current_database() and pid <> pg_backend_pid()");
             ResultSet r = s.executeQuery()) {
            r.next();
            return r.getInt(1);
        }
    }

    private static String query(String sql, String parameter) throws SQLException {
        try (Connection c = PostgresResource.connect("postgres"); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }
}
