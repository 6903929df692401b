package io.stepwise.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Whether stdout is a terminal, how big it is, and the few escape sequences the live progress uses. */
final class Terminal {

    static final String BOLD = "\033[1m";
    static final String RED = "\033[31m";
    static final String GREEN = "\033[32m";
    static final String RESET = "\033[0m";

    /** Rows and columns of the terminal. */
    record Size(int rows, int columns) {
        static final Size DEFAULT = new Size(24, 100);
    }

    private Terminal() {
    }

    /** stdout (and stdin) are a terminal that understands escape sequences. */
    static boolean isTerminal(Map<String, String> env) {
        Console console = System.console();
        if (console == null || "dumb".equals(env.get("TERM"))) {
            return false;
        }
        try { // from Java 22 on, System.console() answers for pipes too; isTerminal() tells
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // before Java 22: a console is a terminal
        }
    }

    /** Colours only on a terminal, and never when NO_COLOR is set (no-color.org). */
    static boolean colour(Context context) {
        return context.terminal() && !context.env().containsKey("NO_COLOR");
    }

    /** The terminal's size from {@code stty}, or 24 x 100 for what it cannot tell. */
    static Size size() {
        try {
            Process stty = new ProcessBuilder("sh", "-c", "stty size < /dev/tty").redirectErrorStream(true).start();
            String answer = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (stty.waitFor(2, TimeUnit.SECONDS) && stty.exitValue() == 0) {
                String[] parts = answer.split("\\s+");
                int rows = Integer.parseInt(parts[0]);
                int columns = Integer.parseInt(parts[1]);
                // a pseudo-terminal nobody sized (script, some CI runners) says 0 0
                return new Size(rows > 0 ? rows : Size.DEFAULT.rows(),
                        columns > 0 ? columns : Size.DEFAULT.columns());
            }
        } catch (IOException | RuntimeException e) {
            // not a terminal after all, or no stty: the default
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Size.DEFAULT;
    }

    /** The line cut to {@code width - 1} characters, so that it never wraps (a wrapped line breaks the redraw). */
    static String fit(String line, int width) {
        return line.length() < width ? line : line.substring(0, Math.max(0, width - 2)) + "…";
    }
}
