package io.stepwise.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * What a command runs in: the environment, where its output goes, whether that is a terminal, and the clock; tests
 * hand in their own.
 *
 * @param terminal        stdout is a terminal: progress is redrawn in place, tables may use colour
 * @param plainInterval   off a terminal, the least time between two progress lines of a watch
 * @param reconnectDelay  the first wait before a broken watch stream is opened again (it doubles, up to Watcher's cap)
 * @param giveUpAfter     how long a watch keeps trying to reconnect before it exits 4
 */
record Context(Map<String, String> env, PrintWriter out, PrintWriter err, boolean terminal, Clock clock,
               Path userHome, Duration plainInterval, Duration reconnectDelay, Duration giveUpAfter) {

    /** This process's: stdout and stderr in UTF-8 (JSON is UTF-8 whatever the locale). */
    static Context system() {
        return new Context(System.getenv(), utf8(FileDescriptor.out, false), utf8(FileDescriptor.err, true),
                Terminal.isTerminal(System.getenv()), Clock.systemUTC(), Path.of(System.getProperty("user.home")),
                Duration.ofSeconds(5), Duration.ofMillis(500), Duration.ofMinutes(5));
    }

    private static PrintWriter utf8(FileDescriptor fd, boolean autoFlush) {
        return new PrintWriter(new OutputStreamWriter(new FileOutputStream(fd), StandardCharsets.UTF_8), autoFlush);
    }
}
