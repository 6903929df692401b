package io.stepwise.planner.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.Blocking;
import io.stepwise.model.CloudEventHeaders;
import io.stepwise.model.ProbeResult;
import io.stepwise.model.StepStatus;
import io.stepwise.outbox.RecordBatches;
import io.stepwise.planner.service.StatusIntake;
import io.stepwise.planner.service.StatusIntake.Received;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads the executor's status events, a poll's worth at a time, and applies the batch in one transaction: one
 * commit for many events is what lets thousands of clusters move at once. Records of one cluster arrive in order
 * (one partition) and are applied in that order. A record that cannot be read, or whose event cannot be applied
 * even on its own, is parked in the dead-letter topic with the reason in its headers, and consumption goes on
 * ({@link RecordBatches}).
 */
@ApplicationScoped
public class StepStatusConsumer {

    public static final String CHANNEL = "step-status";

    private final StatusIntake intake;
    private final RecordBatches batches;
    private final ObjectMapper json;

    public StepStatusConsumer(StatusIntake intake, RecordBatches batches, ObjectMapper json) {
        this.intake = intake;
        this.batches = batches;
        this.json = json;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecords<String, String> records) {
        batches.apply(records, this::read, intake::applyAll, intake::apply);
    }

    private Received read(ConsumerRecord<String, String> record) throws Exception {
        Header id = record.headers().lastHeader(CloudEventHeaders.ID);
        String eventId = id != null ? new String(id.value(), StandardCharsets.UTF_8)
                : record.topic() + "/" + record.partition() + "/" + record.offset();
        Header type = record.headers().lastHeader(CloudEventHeaders.TYPE);
        if (type != null && ProbeResult.TYPE.equals(new String(type.value(), StandardCharsets.UTF_8))) {
            ProbeResult probe = json.readValue(record.value(), ProbeResult.class);
            if (probe.probeId() == null || probe.clusterId() == null) {
                throw new IllegalArgumentException("probe result without probeId or clusterId");
            }
            return Received.probed(eventId, probe);
        }
        StepStatus status = json.readValue(record.value(), StepStatus.class);
        if (status.stepId() == null || status.state() == null) {
            throw new IllegalArgumentException("status event without stepId or state");
        }
        return new Received(eventId, status);
    }
}
