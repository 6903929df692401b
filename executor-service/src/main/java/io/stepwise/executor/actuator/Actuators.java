package io.stepwise.executor.actuator;

import io.stepwise.executor.config.ExecutorConfig;
import io.stepwise.executor.handler.StepFailedException;
import io.stepwise.model.ClusterConnection;
import io.stepwise.model.DeploymentKind;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Map;

/** The actuator for a cluster, chosen by its {@code deployment}. */
@ApplicationScoped
public class Actuators {

    private final Map<DeploymentKind, Actuator> byKind = new EnumMap<>(DeploymentKind.class);

    public Actuators(KubernetesActuator kubernetes, CommandRunner runner, CommandEnvironment environment,
                     ExecutorConfig config) {
        byKind.put(DeploymentKind.KUBERNETES, kubernetes);
        byKind.put(DeploymentKind.COMMAND, new CommandActuator(DeploymentKind.COMMAND, config.actuator().command(),
                runner, environment, config.actuator().commandTimeout()));
        byKind.put(DeploymentKind.DOCKER, new CommandActuator(DeploymentKind.DOCKER, config.actuator().docker(),
                runner, environment, config.actuator().commandTimeout()));
    }

    public Actuator forCluster(String clusterId, ClusterConnection cluster) {
        if (cluster == null || cluster.deployment() == null) {
            throw new StepFailedException("cluster " + clusterId + " has no deployment kind (kubernetes, docker or command); "
                    + "the executor cannot change its version");
        }
        return byKind.get(cluster.deployment());
    }
}
