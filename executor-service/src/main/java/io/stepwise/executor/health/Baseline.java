package io.stepwise.executor.health;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What a cluster held before a rollout first changed it, as recorded by the step that ran first ({@code stepId}). */
public record Baseline(String rolloutId, String clusterId, String stepId, Contents contents, Instant recordedAt) {

    /**
     * Every item that holds less now than before, in words: "collection Article has 990 objects, 1000 before the
     * upgrade (10 lost)". Growth and new items are not losses; an item that can no longer be counted is not judged.
     */
    public List<String> losses(Contents now) {
        List<String> losses = new ArrayList<>();
        for (Map.Entry<String, Long> item : new TreeMap<>(contents.counts()).entrySet()) {
            String name = contents.itemKind() + " " + item.getKey();
            long before = item.getValue();
            Long after = now.counts().get(item.getKey());
            if (after == null && now.notCounted().containsKey(item.getKey())) {
                continue;
            }
            if (after == null) {
                if (before > 0) {
                    losses.add(name + " is gone, " + contents.amount(before) + " before the upgrade (" + before
                            + " lost)");
                }
            } else if (after < before) {
                losses.add(name + " has " + contents.amount(after) + ", " + before + " before the upgrade ("
                        + (before - after) + " lost)");
            }
        }
        return losses;
    }
}
