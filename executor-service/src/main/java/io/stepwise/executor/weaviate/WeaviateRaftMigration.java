package io.stepwise.executor.weaviate;

import io.stepwise.executor.actuator.Actuator;
import io.stepwise.executor.actuator.CommandActuator;
import io.stepwise.executor.actuator.KubernetesActuator;
import io.stepwise.executor.config.ExecutorConfig;
import io.stepwise.executor.handler.ProgressReporter;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * A version change across Weaviate's 1.25 Raft line, either way (RAFT_MIGRATION up, or a DOWNGRADE below 1.25 after
 * SCHEMA_DOWNGRADE), as the vendor's manual procedure does it. On Kubernetes the StatefulSet is re-created keeping its
 * pods and volumes, because its podManagementPolicy (Parallel from chart 17, for 1.25+; OrderedReady before) cannot
 * change on a live StatefulSet. With command templates the operator's {@code raft-migration-prepare} runs first
 * (e.g. an orphan delete of the StatefulSet), then {@code set-version}; Docker has none by default, as Weaviate
 * migrates by itself there once a leader is elected.
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
                commands.run(step, "raft-migration-prepare", prepare.get(), version, progress);
            }
            commands.setVersion(step, version, progress);
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
