package io.stepwise.planner.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.Blocking;
import io.stepwise.model.CloudEventHeaders;
import io.stepwise.model.StepStatus;
import io.stepwise.planner.service.StatusIntake;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads the executor's status events. A record that cannot be read is parked in the dead-letter topic with the
 * reason in its headers ({@code failure-strategy=dead-letter-queue}), and consumption goes on. Records of one
 * cluster arrive in order (one partition), and are applied one at a time.
 */
@ApplicationScoped
public class StepStatusConsumer {

    public static final String CHANNEL = "step-status";

    private final StatusIntake intake;
    private final ObjectMapper json;

    public StepStatusConsumer(StatusIntake intake, ObjectMapper json) {
        this.intake = intake;
        this.json = json;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecord<String, String> record) throws Exception {
        StepStatus status = json.readValue(record.value(), StepStatus.class);
        if (status.stepId() == null || status.state() == null) {
            throw new IllegalArgumentException("status event without stepId or state");
        }
        Header id = record.headers().lastHeader(CloudEventHeaders.ID);
        String eventId = id != null ? new String(id.value(), StandardCharsets.UTF_8)
                : record.topic() + "/" + record.partition() + "/" + record.offset();
        intake.apply(eventId, status);
    }
}
