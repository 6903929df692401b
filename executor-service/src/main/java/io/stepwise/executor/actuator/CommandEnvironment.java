package io.stepwise.executor.actuator;

import io.stepwise.executor.config.EnvironmentPolicy;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * Environment of a command run for a step, on top of the minimal one {@link CommandRunner} starts from:
 * {@code STEPWISE_STEP_ID} (so a tool, or the simulator, can tie the effect to the step) and the cluster's
 * {@code extra} entries {@code env.NAME} as {@code NAME}, each allowed by {@code stepwise.executor.command.allowed-env}
 * ({@link EnvironmentPolicy}); any other fails the step before anything runs.
 */
@ApplicationScoped
public class CommandEnvironment {

    public static final String STEP_ID = "STEPWISE_STEP_ID";

    private final EnvironmentPolicy policy;

    public CommandEnvironment(EnvironmentPolicy policy) {
        this.policy = policy;
    }

    public Map<String, String> forStep(StepRequested step) {
        Map<String, String> env = policy.clusterEnvironment(step);
        env.put(STEP_ID, step.stepId());
        return env;
    }
}
