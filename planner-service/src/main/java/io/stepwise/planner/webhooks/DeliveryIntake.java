package io.stepwise.planner.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepwise.planner.webhooks.WebhookStore.NewDelivery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns lifecycle events into deliveries: one per event and webhook that wants it, written once however often the
 * event is consumed. The CloudEvent each delivery sends is made here, once, so every attempt sends the same bytes.
 */
@ApplicationScoped
public class DeliveryIntake {

    /** A lifecycle event as it came off {@code stepwise.rollouts}: its CloudEvent attributes and its JSON data. */
    public record Event(String id, String source, String type, String subject, Instant time, JsonNode data) {

        /** The rollout it is about, from its data ({@code rolloutId}); null if it names none. */
        String rolloutId() {
            JsonNode rolloutId = data.path("rolloutId");
            return rolloutId.isTextual() ? rolloutId.asText() : null;
        }
    }

    private final WebhookStore store;
    private final ObjectMapper json;

    DeliveryIntake(WebhookStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    @Transactional
    public void acceptAll(List<Event> events) {
        List<Webhook> webhooks = store.all();
        if (webhooks.isEmpty()) {
            return;
        }
        List<NewDelivery> deliveries = new ArrayList<>();
        for (Event event : events) {
            String rolloutId = event.rolloutId();
            String body = null;
            for (Webhook webhook : webhooks) {
                if (webhook.wants(event.type(), rolloutId, event.time())) {
                    body = body == null ? cloudEvent(event) : body;
                    deliveries.add(new NewDelivery(webhook.id(), event.id(), event.type(), rolloutId, body));
                }
            }
        }
        store.enqueue(deliveries, Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    /** The event in CloudEvents' structured mode (JSON format 1.0). */
    private String cloudEvent(Event event) {
        ObjectNode cloudEvent = json.createObjectNode()
                .put("specversion", "1.0")
                .put("id", event.id())
                .put("source", event.source())
                .put("type", event.type());
        if (event.subject() != null) {
            cloudEvent.put("subject", event.subject());
        }
        cloudEvent.put("time", DateTimeFormatter.ISO_INSTANT.format(event.time()))
                .put("datacontenttype", "application/json")
                .set("data", event.data());
        try {
            return json.writeValueAsString(cloudEvent);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the event cannot be written as JSON", e);
        }
    }
}
