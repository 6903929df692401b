package io.stepwise.executor.health;

import io.stepwise.executor.handler.StepFailedException;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** A VERIFY's comparison of what a cluster holds now with what it held before its rollout changed it. */
@ApplicationScoped
public class ContentsCheck {

    private final Baselines baselines;

    public ContentsCheck(Baselines baselines) {
        this.baselines = baselines;
    }

    /**
     * Throws a {@link StepFailedException} naming every item that lost something, with the numbers; otherwise answers
     * what was checked, for the step's message.
     */
    public String verify(StepRequested step, Contents now) {
        Optional<Baseline> baseline = step.rolloutId() == null ? Optional.empty()
                : baselines.find(step.rolloutId(), step.clusterId());
        if (baseline.isEmpty()) {
            return "nothing counted before this rollout began, so no counts compared (now " + now.describe() + ")";
        }
        List<String> losses = baseline.get().losses(now);
        if (!losses.isEmpty()) {
            throw new StepFailedException(now.unit() + " lost on cluster " + step.clusterId() + ": "
                    + String.join("; ", losses));
        }
        Contents before = baseline.get().contents();
        return before.items(before.counts().size()) + (before.counts().size() == 1 ? " holds" : " hold") + " at least the " + before.amount(before.total())
                + " counted before the upgrade (now " + now.describe() + ")";
    }
}
