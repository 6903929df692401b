package io.stepwise.planner.lifecycle;

import io.stepwise.model.StepKind;
import io.stepwise.planner.config.OrchestrationConfig;
import io.stepwise.planner.domain.Cluster;
import io.stepwise.planner.domain.Freeze;
import io.stepwise.planner.domain.MaintenanceWindow;
import io.stepwise.planner.domain.RolloutStep;
import io.stepwise.planner.domain.WindowPolicy;
import io.stepwise.planner.persistence.ClusterRepository;
import io.stepwise.planner.persistence.FreezeRepository;
import io.stepwise.planner.persistence.RolloutStepRepository;
import io.stepwise.planner.persistence.WindowPolicyRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Whether a cluster may begin its next segment now: not if it was deleted from the inventory or someone holds it
 * (it stops there), nor during a freeze or outside its maintenance windows (it waits). Asked only at safe points.
 */
@ApplicationScoped
class SegmentAdmission {

    /** The answer: go, stop for good ({@code removed}, {@code held}), or wait ({@code deferred}) with a reason. */
    record Decision(Kind kind, String why) {
        enum Kind { GO, REMOVED, HELD, DEFERRED }

        static final Decision GO = new Decision(Kind.GO, null);
    }

    private final ClusterRepository inventory;
    private final FreezeRepository freezes;
    private final RolloutStepRepository steps;
    private final OrchestrationConfig config;
    private final Clock clock;
    private final WindowPolicyRepository policies;

    SegmentAdmission(ClusterRepository inventory, FreezeRepository freezes, RolloutStepRepository steps,
                     OrchestrationConfig config, Clock clock, WindowPolicyRepository policies) {
        this.policies = policies;
        this.inventory = inventory;
        this.freezes = freezes;
        this.steps = steps;
        this.config = config;
        this.clock = clock;
    }

    Decision decide(String rolloutId, String clusterId, RolloutStep next) {
        Cluster cluster = inventory.findById(clusterId);
        if (cluster == null) {
            return new Decision(Decision.Kind.REMOVED, "deleted from the inventory during the rollout");
        }
        if (cluster.holdReason != null) {
            return new Decision(Decision.Kind.HELD, "held by " + cluster.heldBy + ": " + cluster.holdReason);
        }
        Instant now = clock.instant();
        Optional<Freeze> freeze = freezes.inForce(now);
        if (freeze.isPresent()) {
            return new Decision(Decision.Kind.DEFERRED, "fleet frozen until " + freeze.get().endsAt + ": "
                    + freeze.get().reason);
        }
        List<MaintenanceWindow> windows = cluster.windows;
        String policyName = cluster.labels.get(WindowPolicy.LABEL);
        if ((windows == null || windows.isEmpty()) && policyName != null) {
            WindowPolicy policy = policies.findById(policyName);
            if (policy == null) {
                return new Decision(Decision.Kind.DEFERRED, "its label " + WindowPolicy.LABEL + " names the window"
                        + " policy '" + policyName + "', which does not exist: it waits until it does");
            }
            windows = policy.windows;
        }
        if (windows != null && !windows.isEmpty()) {
            Duration needed = estimate(rolloutId, clusterId, next);
            if (!MaintenanceWindow.anyFits(windows, now, needed)) {
                Instant opens = MaintenanceWindow.nextFit(windows, now, needed);
                return new Decision(Decision.Kind.DEFERRED, opens == null
                        ? "its next segment (about " + needed.toMinutes() + " min) fits none of its maintenance"
                                + " windows; widen a window or change the estimates"
                        : "waits for its maintenance window: the next segment (about " + needed.toMinutes()
                                + " min) fits from " + opens);
            }
        }
        return Decision.GO;
    }

    /** The estimated duration of the segment {@code next} begins: the estimates of its steps, added up. */
    Duration estimate(String rolloutId, String clusterId, RolloutStep next) {
        if (next.segment == null) {
            return estimate(next.kind);
        }
        Duration total = Duration.ZERO;
        for (RolloutStep step : steps.after(rolloutId, clusterId, next.seq - 1)) {
            if (!next.segment.equals(step.segment)) {
                break;
            }
            total = total.plus(estimate(step.kind));
        }
        return total;
    }

    private Duration estimate(StepKind kind) {
        return config.stepEstimates().getOrDefault(kind.name(), config.defaultStepEstimate());
    }
}
