package io.stepwise.executor.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import io.stepwise.executor.ledger.StepRunner;
import io.stepwise.model.StepRequested;
import io.stepwise.outbox.DeadLetters;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Accepts step requests a poll's worth at a time: records the batch in the ledger in one transaction (deduped on
 * step id and attempt), and only then lets the records be acknowledged; the steps run afterwards on the worker
 * pool. A record that cannot be read, or that cannot be recorded even on its own, goes to
 * {@code stepwise.steps.dlq} with the reason in its headers, and consumption goes on.
 */
@ApplicationScoped
public class StepConsumer {

    public static final String CHANNEL = "steps";

    private final StepRunner runner;
    private final DeadLetters deadLetters;
    private final ObjectMapper json;

    public StepConsumer(StepRunner runner, DeadLetters deadLetters, ObjectMapper json) {
        this.runner = runner;
        this.deadLetters = deadLetters;
        this.json = json;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecords<String, String> records) {
        List<StepRequested> readable = new ArrayList<>(records.count());
        List<ConsumerRecord<String, String>> sources = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> record : records) {
            try {
                readable.add(read(record));
                sources.add(record);
            } catch (Exception e) {
                deadLetters.park(record, e);
            }
        }
        if (readable.isEmpty()) {
            return;
        }
        try {
            runner.acceptAll(readable);
        } catch (RuntimeException batchFailed) {
            // One request (or the database) failed the batch: accept them one by one, so only a bad one is parked.
            Log.warnf("A batch of %d step requests failed (%s); accepting them one by one", readable.size(),
                    batchFailed.getMessage());
            for (int i = 0; i < readable.size(); i++) {
                try {
                    runner.accept(readable.get(i));
                } catch (RuntimeException e) {
                    deadLetters.park(sources.get(i), e);
                }
            }
        }
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
