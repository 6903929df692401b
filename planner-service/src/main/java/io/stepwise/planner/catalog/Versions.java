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

    /**
     * {@code major.minor.patch}. Not semver4j's {@code Semver.of}, which builds the text with {@code String.format}
     * (a locale lookup per call) before parsing it: planning 10,000 clusters builds ~200,000 versions, and that
     * was a quarter of the preview's time.
     */
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
