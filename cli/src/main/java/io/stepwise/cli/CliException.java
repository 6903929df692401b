package io.stepwise.cli;

import java.util.List;

/** Ends a command with an exit code and the lines that say why (printed on stderr, one line each). */
final class CliException extends RuntimeException {

    final int exitCode;
    final List<String> lines;

    CliException(int exitCode, List<String> lines) {
        super(String.join("; ", lines));
        this.exitCode = exitCode;
        this.lines = List.copyOf(lines);
    }

    CliException(int exitCode, String line) {
        this(exitCode, List.of(line));
    }

    static CliException usage(String line) {
        return new CliException(Exit.USAGE, line);
    }

    static CliException unavailable(String line) {
        return new CliException(Exit.UNAVAILABLE, line);
    }
}
