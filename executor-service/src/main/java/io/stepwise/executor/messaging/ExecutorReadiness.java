package io.stepwise.executor.messaging;

import io.stepwise.executor.ledger.StepRunner;
import io.stepwise.outbox.RecordBatches;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the executor's own work, beside the datasource and Kafka checks: DOWN while the step consumer waits
 * for a failure that may pass (the database is away: nothing is acknowledged, nothing parked), or while this
 * executor's leases could not be renewed for longer than they last (its running steps wait at their next poll). Not a
 * liveness check: a restart would not bring the database back, and the waits end by themselves when it is.
 */
@Readiness
@ApplicationScoped
public class ExecutorReadiness implements HealthCheck {

    private final RecordBatches batches;
    private final StepRunner runner;

    public ExecutorReadiness(RecordBatches batches, StepRunner runner) {
        this.batches = batches;
        this.runner = runner;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("stepwise-executor").up();
        Optional<RecordBatches.Waiting> waiting = batches.waiting();
        waiting.ifPresent(w -> response.down()
                .withData("consumer", "waiting since " + w.since() + " to apply records of " + w.topic() + " ("
                        + w.attempts() + " attempts): " + w.lastFailure()));
        Duration sinceRenewal = runner.sinceLastRenewal();
        response.withData("leases renewed", sinceRenewal.toMillis() + " ms ago");
        if (runner.leaseInDoubt()) {
            response.down().withData("leases", "not renewed for longer than the lease: running steps wait at their"
                    + " next poll until a renewal says whether they are still this executor's");
        }
        return response.build();
    }
}
