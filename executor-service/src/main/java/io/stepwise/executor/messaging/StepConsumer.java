package io.stepwise.executor.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.Blocking;
import io.stepwise.executor.ledger.StepRunner;
import io.stepwise.model.StepRequested;
import io.stepwise.outbox.RecordBatches;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Accepts step requests a poll at a time: the ledger holds them before the records are acknowledged. A record that
 * cannot be read, or recorded even on its own, is parked in {@code stepwise.steps.dlq} ({@link RecordBatches}).
 */
@ApplicationScoped
public class StepConsumer {

    public static final String CHANNEL = "steps";

    private final StepRunner runner;
    private final RecordBatches batches;
    private final ObjectMapper json;

    public StepConsumer(StepRunner runner, RecordBatches batches, ObjectMapper json) {
        this.runner = runner;
        this.batches = batches;
        this.json = json;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecords<String, String> records) {
        batches.apply(records, this::read, runner::accept, runner::acceptAlone);
    }

    private StepRequested read(ConsumerRecord<String, String> record) throws Exception {
        StepRequested step = json.readValue(record.value(), StepRequested.class);
        if (step.stepId() == null || step.rolloutId() == null || step.kind() == null || step.product() == null
                || step.clusterId() == null) {
            throw new IllegalArgumentException("step request without stepId, rolloutId, kind, product or clusterId");
        }
        return step;
    }
}
