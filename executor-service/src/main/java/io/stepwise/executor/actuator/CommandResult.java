package io.stepwise.executor.actuator;

import java.time.Duration;
import java.util.List;

/** How a process ended; stdout and stderr are kept in full up to a bound (tails beyond it). */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr, Duration took) {

    public boolean ok() {
        return exitCode == 0;
    }

    /** "`<command>` exited 1 after 0.4s: <stderr>" for failure messages. */
    public String failureSummary() {
        String err = stderr.isBlank() ? stdout : stderr;
        return "`" + String.join(" ", command) + "` exited " + exitCode + " after "
                + io.stepwise.executor.handler.Poll.human(took) + (err.isBlank() ? " with no output" : ": " + err.strip());
    }
}
