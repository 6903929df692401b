package io.stepwise.simulator.ledger;

import java.time.Instant;

/** A breach of a vendor rule, seen by the simulator. An empty list of these means the run was safe. */
public record Violation(Instant at, String clusterId, ViolationRule rule, String message, String stepId) {
}
