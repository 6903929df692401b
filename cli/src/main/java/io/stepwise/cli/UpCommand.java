package io.stepwise.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;
import java.util.List;

/**
 * {@code up} is the {@code ./stepwise} script's: it builds, then runs the local-stack launcher. Listed here so that
 * the help names it; run through the jar directly, it says where it lives.
 */
@Command(name = "up", sortOptions = false,
        description = "Start the local stack: Postgres, Kafka, the fleet simulator with a demo fleet,"
        + " the planner and the executor (./stepwise up; its options: ./stepwise up --help). Ctrl-C stops it.")
final class UpCommand extends Base {

    @Unmatched
    List<String> launcherOptions;

    @Override
    public Integer call() {
        throw CliException.usage("'up' is run by the ./stepwise script in the Stepwise checkout: ./stepwise up");
    }
}
