package io.stepwise.simulator.core;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A product version {@code major.minor.patch}; a leading {@code v} is accepted and dropped. */
public record Version(int major, int minor, int patch) implements Comparable<Version> {

    private static final Pattern FORMAT = Pattern.compile("v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?");
    /**
     * Texts already parsed: a fleet has a handful of versions, parsed again on every informer event and request.
     * Capped, against a caller that makes up versions.
     */
    private static final Map<String, Version> PARSED = new ConcurrentHashMap<>();
    private static final int PARSED_CAP = 1_000;

    public static Version parse(String text) {
        Version known = text == null ? null : PARSED.get(text);
        if (known != null) {
            return known;
        }
        Matcher m = text == null ? null : FORMAT.matcher(text.trim());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("not a version: '" + text + "' (expected e.g. 1.25.34)");
        }
        Version version = new Version(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
        if (PARSED.size() < PARSED_CAP) {
            PARSED.put(text, version);
        }
        return version;
    }

    public static boolean isValid(String text) {
        return text != null && (PARSED.containsKey(text) || FORMAT.matcher(text.trim()).matches());
    }

    public boolean atLeast(String other) {
        return compareTo(parse(other)) >= 0;
    }

    public boolean below(String other) {
        return compareTo(parse(other)) < 0;
    }

    public boolean sameMinor(Version other) {
        return major == other.major && minor == other.minor;
    }

    /** Minor lines between this and {@code other}: 0 for the same minor, 1 for neighbours. */
    public int minorDistance(Version other) {
        if (major != other.major) {
            return Integer.MAX_VALUE;
        }
        return Math.abs(minor - other.minor);
    }

    @Override
    public int compareTo(Version o) {
        if (major != o.major) {
            return Integer.compare(major, o.major);
        }
        if (minor != o.minor) {
            return Integer.compare(minor, o.minor);
        }
        return Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
