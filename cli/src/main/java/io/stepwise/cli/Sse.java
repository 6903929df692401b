package io.stepwise.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads a Server-Sent Events stream (the HTML standard's format): {@code data:} lines make an event's data (joined
 * by line breaks when there are several), a blank line ends the event, lines starting with {@code :} are comments;
 * {@code event:}, {@code id:} and {@code retry:} are read past (the planner's watch sends data only).
 */
final class Sse implements AutoCloseable {

    private final BufferedReader reader;

    Sse(InputStream in) {
        this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** The next event's data, or null when the stream has ended. */
    String next() throws IOException {
        StringBuilder data = null;
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    return data.toString();
                }
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            if (field.equals("data")) {
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            }
        }
        return null; // an event not ended by a blank line is dropped, as the standard says
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
