package io.stepwise.executor.weaviate;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough version reading for the executor's decisions (which API a cluster speaks); planning lives in the planner. */
record WeaviateVersion(int major, int minor, int patch) implements Comparable<WeaviateVersion> {

    private static final Pattern SEMVER = Pattern.compile("^v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?.*$");

    static Optional<WeaviateVersion> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = SEMVER.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new WeaviateVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3))));
    }

    boolean isBefore(int major, int minor) {
        return this.major < major || (this.major == major && this.minor < minor);
    }

    @Override
    public int compareTo(WeaviateVersion o) {
        if (major != o.major) {
            return Integer.compare(major, o.major);
        }
        if (minor != o.minor) {
            return Integer.compare(minor, o.minor);
        }
        return Integer.compare(patch, o.patch);
    }
}
