package io.stepwise.planner.webhooks;

import java.time.Instant;
import java.util.List;

/**
 * An HTTP endpoint that receives lifecycle events: those whose type starts with one of {@code types} (all when
 * empty), of the rollout {@code rolloutId} only, or of every rollout when it is null. It receives only events that
 * happened after its creation. Its secret is not part of it: only the sender reads it.
 */
public record Webhook(String id, String url, List<String> types, String rolloutId, Instant createdAt,
                      String createdBy) {

    /** What a creation asks for. */
    public record New(String url, String secret, List<String> types, String rolloutId) {
    }

    boolean wants(String eventType, String eventRolloutId, Instant eventTime) {
        return !eventTime.isBefore(createdAt)
                && (rolloutId == null || rolloutId.equals(eventRolloutId))
                && (types.isEmpty() || types.stream().anyMatch(eventType::startsWith));
    }
}
