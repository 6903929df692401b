package io.stepwise.executor.config;

import io.stepwise.executor.handler.StepFailedException;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a cluster's {@code extra} entries {@code env.NAME} may put into the environment of the commands run for it:
 * only names in {@code stepwise.executor.command.allowed-env}, and never the loader's, PATH or HOME (LD_PRELOAD would
 * run any library in the tool, PATH any binary, KUBECONFIG any cluster's credentials unless the operator allows it).
 */
@ApplicationScoped
public class EnvironmentPolicy {

    public static final String PREFIX = "env.";
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    /** Never settable from an inventory entry, even when listed. */
    private static final Set<String> NEVER = Set.of("PATH", "HOME", "IFS", "BASH_ENV", "ENV", "SHELLOPTS",
            "PS4", "PROMPT_COMMAND");

    private final Set<String> allowed;

    @Inject
    public EnvironmentPolicy(ExecutorConfig config) {
        this(config.command().allowedEnv().orElse(List.of()));
    }

    EnvironmentPolicy(List<String> names) {
        this.allowed = new TreeSet<>(names.stream().map(String::trim).filter(n -> !n.isEmpty()).toList());
    }

    /** The cluster's {@code env.NAME} entries as variables, each checked; fails naming the first refused one. */
    public Map<String, String> clusterEnvironment(StepRequested step) {
        Map<String, String> env = new HashMap<>();
        if (step.cluster() == null) {
            return env;
        }
        step.cluster().extra().forEach((key, value) -> {
            if (key.startsWith(PREFIX) && value != null) {
                String name = key.substring(PREFIX.length());
                check(name, step.clusterId());
                if (value.indexOf('\0') >= 0) {
                    throw new StepFailedException("extra." + key + " of cluster " + step.clusterId() + " holds a NUL"
                            + " character; nothing was run");
                }
                env.put(name, value);
            }
        });
        return env;
    }

    private void check(String name, String clusterId) {
        boolean refused = !NAME.matcher(name).matches() || NEVER.contains(name) || name.startsWith("LD_")
                || name.startsWith("DYLD_") || !allowed.contains(name);
        if (refused) {
            throw new StepFailedException("cluster " + clusterId + " sets the environment variable '"
                    + Names.printable(name) + "' (extra.env." + Names.printable(name) + ") for its commands, which"
                    + " stepwise.executor.command.allowed-env does not allow (it allows "
                    + (allowed.isEmpty() ? "none" : String.join(", ", allowed)) + "); nothing was run");
        }
    }
}
