package io.stepwise.simulator.ledger;

import java.time.Instant;
import java.util.Map;

/**
 * One effect a simulated cluster received.
 *
 * @param stepId the caller's step id ({@code X-Stepwise-Step-Id} header or {@code STEPWISE_STEP_ID}
 *               for commands), null when the caller gave none
 */
public record Effect(Instant at, String clusterId, EffectType type, String stepId, Map<String, Object> details) {
    public Effect {
        details = details == null ? Map.of() : Map.copyOf(details);
    }
}
