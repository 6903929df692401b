package io.stepwise.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Runs the command line in this JVM with an environment of the test's own, capturing stdout and stderr. */
final class Run {

    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Map<String, String> env = new HashMap<>();
    private Path userHome = Path.of("/nonexistent-home");
    /**
     * {@code --home}: else the command line would find the checkout it was built in, and with it the tokens of a
     * local stack someone started there.
     */
    private Path checkout = Path.of("/nonexistent-checkout");
    private boolean terminal;
    private Duration plainInterval = Duration.ZERO;

    Run env(String name, String value) {
        env.put(name, value);
        return this;
    }

    Run userHome(Path home) {
        this.userHome = home;
        return this;
    }

    Run terminal() {
        this.terminal = true;
        return this;
    }

    Run plainInterval(Duration interval) {
        this.plainInterval = interval;
        return this;
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Context context = new Context(Map.copyOf(env), new PrintWriter(out), new PrintWriter(err), terminal,
                Clock.systemUTC(), userHome, plainInterval, Duration.ofMillis(20), Duration.ofSeconds(10));
        String[] withHome = new String[args.length + 2];
        withHome[0] = "--home";
        withHome[1] = checkout.toString();
        System.arraycopy(args, 0, withHome, 2, args.length);
        int code = Stepwise.run(context, withHome);
        return new Result(code, out.toString(), err.toString());
    }
}
