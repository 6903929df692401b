package io.stepwise.planner.rules;

import java.util.List;

/**
 * One way back for a failed cluster, and whether the vendor's rules allow it: {@code rule} names the rule that
 * decides, {@code reason} says why in a sentence a person can act on. An allowed option carries its ordered steps.
 */
public record RecoveryOption(Kind kind, boolean allowed, String toVersion, String rule, String reason,
                             List<PlannedStep> steps) {

    public enum Kind {
        /** Back to the version before the rollout, keeping the data the cluster holds now. */
        DOWNGRADE,
        /** The pre-upgrade backup restored onto the version before the rollout: the data as it was then. */
        RESTORE_BACKUP
    }

    public RecoveryOption {
        steps = List.copyOf(steps);
    }

    public static RecoveryOption refused(Kind kind, String toVersion, String rule, String reason) {
        return new RecoveryOption(kind, false, toVersion, rule, reason, List.of());
    }
}
