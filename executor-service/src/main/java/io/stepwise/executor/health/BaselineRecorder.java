package io.stepwise.executor.health;

import io.quarkus.arc.All;
import io.quarkus.logging.Log;
import io.stepwise.executor.handler.BeforeStep;
import io.stepwise.executor.handler.ProgressReporter;
import io.stepwise.executor.handler.StepFailedException;
import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Before a rollout's first step on a cluster, its BACKUP (every plan that changes a version begins with one: W3, W9,
 * P1), counts what the cluster holds and records it in the ledger, for every VERIFY of that rollout to compare against.
 * A cluster that cannot be counted fails that BACKUP with nothing changed: an upgrade whose losses could not be seen
 * must not start, and a cluster that does not answer could not be backed up either. No other step counts: one that
 * found no counts (a rollout begun before they were recorded) would take numbers from a cluster already changed.
 */
@ApplicationScoped
public class BaselineRecorder implements BeforeStep {

    /** The plan's first step (PlanBuilder numbers from 1). */
    private static final int FIRST = 1;

    private final Map<Product, ContentsReader> readers = new EnumMap<>(Product.class);
    private final Baselines baselines;

    public BaselineRecorder(@All List<ContentsReader> readers, Baselines baselines) {
        readers.forEach(reader -> this.readers.put(reader.product(), reader));
        this.baselines = baselines;
    }

    @Override
    public void before(StepRequested step, ProgressReporter progress) {
        ContentsReader reader = step.product() == null ? null : readers.get(step.product());
        if (reader == null || step.rolloutId() == null || step.kind() != StepKind.BACKUP || step.seq() != FIRST) {
            return;
        }
        if (baselines.find(step.rolloutId(), step.clusterId()).isPresent()) {
            return; // a rerun of the BACKUP: what was counted before it first ran stays
        }
        Contents contents;
        try {
            contents = reader.read(step);
        } catch (RuntimeException e) {
            throw new StepFailedException("could not count what cluster " + step.clusterId() + " holds before the"
                    + " rollout changes it: " + e.getMessage() + "; nothing was changed", e);
        }
        baselines.recordIfAbsent(new Baseline(step.rolloutId(), step.clusterId(), step.stepId(), contents,
                Instant.now()));
        Log.infof("step %s on cluster %s: counted before the rollout changes it: %s", step.stepId(),
                step.clusterId(), contents.describe());
        progress.report("counted before the upgrade: " + contents.describe(), null);
    }
}
