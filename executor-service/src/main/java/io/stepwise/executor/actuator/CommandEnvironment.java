package io.stepwise.executor.actuator;

import io.stepwise.model.StepRequested;
import java.util.HashMap;
import java.util.Map;

/**
 * Environment of a command run for a step: {@code STEPWISE_STEP_ID} (so a tool, or the simulator, can tie the effect
 * to the step) and the cluster's {@code extra} entries {@code env.NAME} (e.g. {@code env.KUBECONFIG}) as {@code NAME}.
 */
public final class CommandEnvironment {

    public static final String STEP_ID = "STEPWISE_STEP_ID";
    private static final String PREFIX = "env.";

    private CommandEnvironment() {
    }

    public static Map<String, String> forStep(StepRequested step) {
        Map<String, String> env = new HashMap<>();
        if (step.cluster() != null) {
            step.cluster().extra().forEach((key, value) -> {
                if (key.startsWith(PREFIX) && key.length() > PREFIX.length() && value != null) {
                    env.put(key.substring(PREFIX.length()), value);
                }
            });
        }
        env.put(STEP_ID, step.stepId());
        return env;
    }
}
