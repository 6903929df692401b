package io.stepwise.planner.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import io.stepwise.model.CloudEventHeaders;
import io.stepwise.model.StepStatus;
import io.stepwise.outbox.DeadLetters;
import io.stepwise.planner.service.StatusIntake;
import io.stepwise.planner.service.StatusIntake.Received;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads the executor's status events, a poll's worth at a time, and applies the batch in one transaction: one
 * commit for many events is what lets thousands of clusters move at once. Records of one cluster arrive in order
 * (one partition) and are applied in that order. A record that cannot be read, or whose event cannot be applied
 * even on its own, is parked in the dead-letter topic with the reason in its headers, and consumption goes on.
 */
@ApplicationScoped
public class StepStatusConsumer {

    public static final String CHANNEL = "step-status";

    private final StatusIntake intake;
    private final DeadLetters deadLetters;
    private final ObjectMapper json;

    public StepStatusConsumer(StatusIntake intake, DeadLetters deadLetters, ObjectMapper json) {
        this.intake = intake;
        this.deadLetters = deadLetters;
        this.json = json;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecords<String, String> records) {
        List<Received> readable = new ArrayList<>(records.count());
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
            intake.applyAll(readable);
        } catch (RuntimeException batchFailed) {
            // One event (or the database) failed the batch: apply them one by one, so only a bad one is parked.
            Log.warnf("A batch of %d status events failed (%s); applying them one by one", readable.size(),
                    batchFailed.getMessage());
            for (int i = 0; i < readable.size(); i++) {
                try {
                    intake.apply(readable.get(i));
                } catch (RuntimeException e) {
                    deadLetters.park(sources.get(i), e);
                }
            }
        }
    }

    private Received read(ConsumerRecord<String, String> record) throws Exception {
        StepStatus status = json.readValue(record.value(), StepStatus.class);
        if (status.stepId() == null || status.state() == null) {
            throw new IllegalArgumentException("status event without stepId or state");
        }
        Header id = record.headers().lastHeader(CloudEventHeaders.ID);
        String eventId = id != null ? new String(id.value(), StandardCharsets.UTF_8)
                : record.topic() + "/" + record.partition() + "/" + record.offset();
        return new Received(eventId, status);
    }
}
