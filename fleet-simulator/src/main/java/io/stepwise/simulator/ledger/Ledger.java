package io.stepwise.simulator.ledger;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/** The append-only record of effects and violations, shared by all simulated clusters. */
public final class Ledger {

    private static final Logger LOG = Logger.getLogger(Ledger.class.getName());

    private final Clock clock;
    private final List<Effect> effects = new ArrayList<>();
    private final List<Violation> violations = new ArrayList<>();

    public Ledger(Clock clock) {
        this.clock = clock;
    }

    public synchronized Effect effect(String clusterId, EffectType type, String stepId, Map<String, Object> details) {
        Effect effect = new Effect(clock.instant(), clusterId, type, stepId, details);
        effects.add(effect);
        return effect;
    }

    public synchronized Violation violation(String clusterId, ViolationRule rule, String message, String stepId) {
        Violation violation = new Violation(clock.instant(), clusterId, rule, message, stepId);
        violations.add(violation);
        // also logged, so the output of a test that never asks for the violations (another module's) shows them
        LOG.warning(() -> "violation " + rule + " on cluster " + clusterId + (stepId == null ? "" : ", step " + stepId)
                + ": " + message);
        return violation;
    }

    public synchronized List<Effect> effects(String clusterId) {
        if (clusterId == null) {
            return List.copyOf(effects);
        }
        return effects.stream().filter(e -> clusterId.equals(e.clusterId())).toList();
    }

    public synchronized List<Violation> violations(String clusterId) {
        if (clusterId == null) {
            return List.copyOf(violations);
        }
        return violations.stream().filter(v -> clusterId.equals(v.clusterId())).toList();
    }
}
