package io.stepwise.cli;

import picocli.CommandLine.Option;

/** {@code -h, --help} on every command below the root (which also has {@code --version}). */
final class HelpOption {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;
}
