package io.stepwise.executor.weaviate;

import io.stepwise.executor.actuator.Actuator;
import io.stepwise.executor.actuator.CommandActuator;
import io.stepwise.executor.actuator.KubernetesActuator;
import io.stepwise.executor.config.ExecutorConfig;
import io.stepwise.executor.handler.ProgressReporter;
import io.stepwise.executor.handler.StepControl;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * A version change across Weaviate's 1.25 Raft line, either way, as the vendor's manual procedure does it. On
 * Kubernetes the StatefulSet is re-created, as its podManagementPolicy (Parallel from chart 17, for 1.25+) cannot
 * change on a live one; with command templates {@code raft-migration-prepare} runs before {@code set-version}
 * (Docker has none: Weaviate migrates by itself there).
 */
@ApplicationScoped
public class WeaviateRaftMigration {

    private final ExecutorConfig.Kubernetes kubernetes;

    public WeaviateRaftMigration(ExecutorConfig config) {
        this.kubernetes = config.actuator().kubernetes();
    }

    void run(Actuator actuator, StepRequested step, String version, ProgressReporter progress) {
        if (actuator instanceof KubernetesActuator statefulSets) {
            statefulSets.recreate(step, version, podManagementPolicy(version), progress);
        } else if (actuator instanceof CommandActuator commands) {
            Optional<String> prepare = commands.templates().raftMigrationPrepare();
            if (prepare.isPresent()) {
                // The prepare command deletes the StatefulSet: a cancel waits until set-version brought it back.
                StepControl.uninterrupted("raft-migration-prepare and set-version " + version, () -> {
                    commands.run(step, "raft-migration-prepare", prepare.get(), version, progress);
                    commands.setVersion(step, version, progress);
                });
            } else {
                commands.setVersion(step, version, progress);
            }
        } else {
            throw new IllegalStateException("no Raft migration through the " + actuator.deployment().id() + " actuator");
        }
    }

    private String podManagementPolicy(String version) {
        String[] parts = version.split("\\.");
        boolean below125 = parts.length >= 2 && parts[0].equals("1") && parts[1].matches("\\d+")
                && Integer.parseInt(parts[1]) < 25;
        return below125 ? "OrderedReady" : kubernetes.raftPodManagementPolicy();
    }
}
