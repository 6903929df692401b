package io.stepwise.executor.pachyderm;

import io.stepwise.executor.actuator.CommandEnvironment;
import io.stepwise.executor.actuator.CommandResult;
import io.stepwise.executor.actuator.CommandRunner;
import io.stepwise.executor.actuator.CommandTemplate;
import io.stepwise.executor.config.EndpointPolicy;
import io.stepwise.executor.config.ExecutorConfig;
import io.stepwise.executor.handler.StepFailedException;
import io.stepwise.model.StepRequested;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Runs {@code pachctl} for a step: the current client or the one of a target version, with {@code PACHD_ADDRESS} set
 * to the cluster's endpoint and the step's command environment.
 */
@ApplicationScoped
public class Pachctl {

    /** Which client binary: the installed one, or the one for a version (DEPLOY installs it). */
    public record Client(String version) {
        public static final Client CURRENT = new Client(null);

        public static Client forVersion(String version) {
            return new Client(version);
        }
    }

    /** What {@code pachctl version} showed; {@code pachd} is empty when pachd did not answer. */
    public record Versions(String pachctl, Optional<String> pachd) {
        public String describe() {
            return "pachctl " + pachctl + ", pachd " + pachd.orElse("(not answering)");
        }
    }

    private final CommandRunner runner;
    private final CommandEnvironment environment;
    private final EndpointPolicy endpoints;
    private final ExecutorConfig.Pachyderm config;

    public Pachctl(CommandRunner runner, CommandEnvironment environment, EndpointPolicy endpoints, ExecutorConfig config) {
        this.runner = runner;
        this.environment = environment;
        this.endpoints = endpoints;
        this.config = config.pachyderm();
    }

    public ExecutorConfig.Pachyderm config() {
        return config;
    }

    public CommandResult run(StepRequested step, Client client, List<String> args) {
        return run(step, client, args, config.commandTimeout(), UnaryOperator.identity());
    }

    /** Runs and requires exit code 0. */
    public CommandResult run(StepRequested step, Client client, List<String> args, Duration timeout,
            UnaryOperator<CommandRunner.Invocation> io) {
        CommandResult result = attempt(step, client, args, timeout, io);
        if (!result.ok()) {
            throw new StepFailedException("pachctl failed on cluster " + step.clusterId() + ": " + result.failureSummary());
        }
        return result;
    }

    /** Runs and returns whatever happened, for callers that read a non-zero exit themselves. */
    public CommandResult attempt(StepRequested step, Client client, List<String> args, Duration timeout,
            UnaryOperator<CommandRunner.Invocation> io) {
        List<String> command = new ArrayList<>(binary(step, client));
        command.addAll(args);
        Map<String, String> env = environment.forStep(step);
        if (step.cluster() != null && step.cluster().endpoint() != null && !step.cluster().endpoint().isBlank()) {
            // pachctl would send its context's auth token there
            endpoints.check(step.clusterId(), step.cluster().endpoint());
            env.putIfAbsent("PACHD_ADDRESS", step.cluster().endpoint());
        }
        return runner.run(io.apply(CommandRunner.Invocation.of(command, timeout).withEnv(env)));
    }

    private List<String> binary(StepRequested step, Client client) {
        if (client.version() != null && config.versionedCommand().isPresent()) {
            return CommandTemplate.render(config.versionedCommand().get(), CommandTemplate.values(step, client.version()));
        }
        return CommandTemplate.render(config.command(), CommandTemplate.values(step, client.version() == null
                ? "" : client.version()));
    }

    /** {@code pachctl version}, read from its table (COMPONENT VERSION / pachctl X / pachd Y). */
    public Versions version(StepRequested step, Client client) {
        CommandResult result = attempt(step, client, List.of("version"), config.commandTimeout(), UnaryOperator.identity());
        String pachctl = null;
        String pachd = null;
        for (String line : result.stdout().split("\\R")) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length >= 2 && cols[0].equals("pachctl")) {
                pachctl = strip(cols[1]);
            } else if (cols.length >= 2 && cols[0].equals("pachd") && !line.contains("version unknown")) {
                pachd = strip(cols[1]);
            }
        }
        if (pachctl == null) {
            throw new StepFailedException("`pachctl version` on cluster " + step.clusterId() + " showed no client version: "
                    + result.failureSummary());
        }
        return new Versions(pachctl, Optional.ofNullable(pachd));
    }

    /** The names {@code pachctl list repo} shows (an empty list for an empty cluster). */
    public List<String> repos(StepRequested step) {
        CommandResult result = run(step, Client.CURRENT, List.of("list", "repo"));
        List<String> names = new ArrayList<>();
        for (String line : result.stdout().split("\\R")) {
            String trimmed = line.trim();
            if (!trimmed.isEmpty() && !trimmed.startsWith("NAME")) {
                names.add(trimmed.split("\\s+")[0]);
            }
        }
        return names;
    }

    /** How many commits {@code pachctl list commit <repo>} shows: its lines under the one header line. */
    public long commitCount(StepRequested step, String repo) {
        CommandResult result = run(step, Client.CURRENT, List.of("list", "commit", repo));
        String[] lines = result.stdout().strip().split("\\R");
        return lines.length <= 1 ? 0 : lines.length - 1;
    }

    private static String strip(String version) {
        return version.startsWith("v") ? version.substring(1) : version;
    }

    /** 1.x has pachctl deploy/undeploy/extract/restore; 2.x is helm-managed with backups outside pachctl. */
    public static boolean isOneX(String version) {
        return version != null && version.startsWith("1.");
    }
}
