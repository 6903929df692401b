package io.stepwise.simulator.ledger;

import java.time.Instant;

/** A {@link ViolationRule} broken on a cluster, as the simulator saw it. None at all means the run was safe. */
public record Violation(Instant at, String clusterId, ViolationRule rule, String message, String stepId) {
}
