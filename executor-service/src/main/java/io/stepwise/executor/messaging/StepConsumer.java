package io.stepwise.executor.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.Blocking;
import io.stepwise.executor.ledger.StepRunner;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Accepts step requests: records each in the ledger (deduped on step id and attempt), and only then lets the
 * record be acknowledged; the step runs afterwards on the worker pool. A record that cannot be read goes to
 * {@code stepwise.steps.dlq} with the reason in its headers, and consumption goes on.
 */
@ApplicationScoped
public class StepConsumer {

    public static final String CHANNEL = "steps";

    private final StepRunner runner;
    private final ObjectMapper json;

    public StepConsumer(StepRunner runner, ObjectMapper json) {
        this.runner = runner;
        this.json = json;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecord<String, String> record) throws Exception {
        StepRequested step = json.readValue(record.value(), StepRequested.class);
        if (step.stepId() == null || step.kind() == null || step.product() == null || step.clusterId() == null) {
            throw new IllegalArgumentException("step request without stepId, kind, product or clusterId");
        }
        runner.accept(step);
    }
}
