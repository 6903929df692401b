package io.stepwise.planner.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.Blocking;
import io.stepwise.model.CloudEventHeaders;
import io.stepwise.outbox.RecordBatches;
import io.stepwise.planner.webhooks.DeliveryIntake;
import io.stepwise.planner.webhooks.DeliveryIntake.Event;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads the planner's own lifecycle events back from {@code stepwise.rollouts}, in a consumer group of its own, and
 * turns each poll into webhook deliveries in one transaction. An event that cannot be read is parked in
 * {@code stepwise.rollouts.dlq} ({@link RecordBatches}).
 */
@ApplicationScoped
public class WebhookEventConsumer {

    public static final String CHANNEL = "webhook-events";

    private final DeliveryIntake intake;
    private final RecordBatches batches;
    private final ObjectMapper json;

    public WebhookEventConsumer(DeliveryIntake intake, RecordBatches batches, ObjectMapper json) {
        this.intake = intake;
        this.batches = batches;
        this.json = json;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecords<String, String> records) {
        batches.apply(records, this::read, intake::acceptAll, event -> intake.acceptAll(List.of(event)));
    }

    private Event read(ConsumerRecord<String, String> record) throws Exception {
        String id = header(record, CloudEventHeaders.ID);
        String type = header(record, CloudEventHeaders.TYPE);
        if (id == null || type == null) {
            throw new IllegalArgumentException("event without " + CloudEventHeaders.ID + " or " + CloudEventHeaders.TYPE);
        }
        String time = header(record, CloudEventHeaders.TIME);
        JsonNode data = json.readTree(record.value());
        if (data == null || !data.isObject()) {
            throw new IllegalArgumentException("event data is not a JSON object");
        }
        return new Event(id, header(record, CloudEventHeaders.SOURCE), type, header(record, CloudEventHeaders.SUBJECT),
                time != null ? Instant.parse(time) : Instant.ofEpochMilli(record.timestamp()), data);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
