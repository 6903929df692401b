package io.stepwise.planner.rest.console;

import io.stepwise.planner.domain.Freeze;
import io.stepwise.planner.domain.MaintenanceWindow;
import io.stepwise.planner.domain.SavedStrategy;
import io.stepwise.planner.domain.WindowPolicy;
import io.stepwise.planner.webhooks.Webhook;
import java.util.List;

/**
 * What governs every rollout, beside the clusters: freezes in force or to come, window policies, saved strategies
 * and (for admins, whose secret URLs they are) webhooks.
 */
public record FleetSettings(List<Freeze> freezes, List<PolicyRow> policies, List<SavedStrategy> strategies,
                            List<Webhook> webhooks) {

    public record PolicyRow(String name, String windows) {

        static PolicyRow of(WindowPolicy p) {
            return new PolicyRow(p.name, String.join("; ", p.windows.stream().map(MaintenanceWindow::describe)
                    .toList()));
        }
    }

    public boolean empty() {
        return freezes.isEmpty() && policies.isEmpty() && strategies.isEmpty() && webhooks.isEmpty();
    }
}
