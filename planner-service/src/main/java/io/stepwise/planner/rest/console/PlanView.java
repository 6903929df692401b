package io.stepwise.planner.rest.console;

import io.stepwise.planner.rest.PreviewResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plan page's model: the preview as the API answers it, with the paths summed up (how many clusters take
 * each) and, for very large fleets, the clusters whose steps are shown one by one capped.
 */
public record PlanView(PreviewResponse preview, List<PathCount> paths, List<PreviewResponse.PlanView> detailed,
                       int notDetailed, String idempotencyKey) {

    /** Steps are listed for this many clusters; the path summary counts all of them. */
    static final int DETAILED = 200;

    public record PathCount(String path, int steps, long clusters) {
    }

    static PlanView of(PreviewResponse preview, String idempotencyKey) {
        Map<String, long[]> byPath = new LinkedHashMap<>();
        Map<String, Integer> stepsOf = new LinkedHashMap<>();
        for (PreviewResponse.PlanView plan : preview.plans()) {
            String path = plan.alreadyAtTarget() ? "already at " + plan.toVersion()
                    : plan.fromVersion() + " → " + String.join(" → ", plan.path());
            byPath.computeIfAbsent(path, p -> new long[1])[0]++;
            stepsOf.putIfAbsent(path, plan.stepCount());
        }
        List<PathCount> paths = new ArrayList<>();
        byPath.forEach((path, n) -> paths.add(new PathCount(path, stepsOf.get(path), n[0])));
        List<PreviewResponse.PlanView> detailed = preview.plans().stream().limit(DETAILED).toList();
        return new PlanView(preview, paths, detailed, preview.plans().size() - detailed.size(), idempotencyKey);
    }

    public boolean startable() {
        return preview.plans().stream().anyMatch(p -> !p.alreadyAtTarget());
    }
}
