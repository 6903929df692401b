package io.stepwise.planner.rest;

import io.stepwise.planner.webhooks.Delivery;
import io.stepwise.planner.webhooks.Webhook;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A webhook as the API shows it: never its secret. */
public record WebhookView(
        String id,
        String url,
        @Schema(description = "Event type prefixes it receives; empty: every type") List<String> types,
        @Schema(nullable = true, description = "The one rollout whose events it receives; null: every rollout's")
        String rolloutId,
        Instant createdAt,
        String createdBy) {

    public static WebhookView of(Webhook w) {
        return new WebhookView(w.id(), w.url(), w.types(), w.rolloutId(), w.createdAt(), w.createdBy());
    }

    /** One event for the webhook and how sending it went. */
    public record DeliveryView(
            long id,
            String eventId,
            String eventType,
            @Schema(nullable = true) String rolloutId,
            @Schema(description = "PENDING (sent again at nextAttemptAt), DELIVERED (a 2xx answer) or FAILED (every"
                    + " attempt failed)") Delivery.State state,
            int attempts,
            @Schema(nullable = true, description = "HTTP status of the last answer") Integer lastStatus,
            @Schema(nullable = true, description = "Why the last attempt failed") String lastError,
            @Schema(nullable = true) Instant nextAttemptAt,
            @Schema(nullable = true) Instant deliveredAt,
            Instant createdAt) {

        public static DeliveryView of(Delivery d) {
            return new DeliveryView(d.id(), d.eventId(), d.eventType(), d.rolloutId(), d.state(), d.attempts(),
                    d.lastStatus(), d.lastError(), d.nextAttemptAt(), d.deliveredAt(), d.createdAt());
        }
    }
}
