package io.stepwise.planner.catalog;

import java.util.Optional;
import org.semver4j.Semver;

/** Parsing of product version strings. Vendors write {@code 1.25.0}; a leading {@code v} is tolerated. */
public final class Versions {

    private Versions() {
    }

    /** The version, or empty when the text is not a full {@code major.minor.patch} version. */
    public static Optional<Semver> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String trimmed = text.trim();
        if (trimmed.startsWith("v") || trimmed.startsWith("V")) {
            trimmed = trimmed.substring(1);
        }
        return Optional.ofNullable(Semver.parse(trimmed));
    }

    /** {@code major.minor.patch}, without semver4j's {@code Semver.of}, whose {@code String.format} is slow. */
    public static Semver of(int major, int minor, int patch) {
        return new Semver(major + "." + minor + "." + patch);
    }

    /** The {@code major.minor} line a version belongs to, e.g. {@code 1.25}. */
    public static String line(Semver version) {
        return version.getMajor() + "." + version.getMinor();
    }

    public static boolean sameLine(Semver a, Semver b) {
        return a.getMajor() == b.getMajor() && a.getMinor() == b.getMinor();
    }

    /** True when the version is on line {@code major.minor}. */
    public static boolean onLine(Semver version, int major, int minor) {
        return version.getMajor() == major && version.getMinor() == minor;
    }
}
