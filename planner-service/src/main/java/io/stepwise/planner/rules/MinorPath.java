package io.stepwise.planner.rules;

import io.stepwise.model.RefusalCode;
import io.stepwise.planner.catalog.VersionCatalog;
import io.stepwise.planner.catalog.Versions;
import java.util.ArrayList;
import java.util.List;
import org.semver4j.Semver;

/**
 * The vendors' shared habit (W2, W9, P6): move one minor at a time, to the latest good patch of each minor
 * passed, and to the target exactly on the last hop. A minor the catalog lacks is never skipped: the
 * path is refused instead.
 */
public final class MinorPath {

    private MinorPath() {
    }

    /** The hops from {@code from} to {@code to} within one major, up or down; a single hop within one minor. */
    public static List<Semver> walk(Semver from, Semver to, VersionCatalog catalog) {
        if (from.getMajor() != to.getMajor()) {
            throw new PlanRefusedException(RefusalCode.UNSUPPORTED_PATH, "moving from " + from.getVersion()
                    + " to " + to.getVersion() + " crosses a major version, which has no step-by-step procedure");
        }
        if (from.getMinor() == to.getMinor()) {
            return List.of(to);
        }
        List<Semver> hops = new ArrayList<>();
        int step = to.getMinor() > from.getMinor() ? 1 : -1;
        for (int minor = from.getMinor() + step; minor != to.getMinor(); minor += step) {
            hops.add(latest(catalog, to.getMajor(), minor, from, to));
        }
        hops.add(to);
        return hops;
    }

    private static Semver latest(VersionCatalog catalog, int major, int minor, Semver from, Semver to) {
        String line = major + "." + minor;
        if (catalog.line(major, minor).isEmpty()) {
            throw new PlanRefusedException(RefusalCode.UNKNOWN_VERSION, "the " + catalog.product().id()
                    + " catalog has no " + line + " line, which the path from " + from.getVersion() + " to "
                    + to.getVersion() + " must pass (one minor at a time): add it to the catalog");
        }
        return catalog.latest(major, minor).orElseThrow(() -> new PlanRefusedException(RefusalCode.BLOCKED_VERSION,
                "every " + line + " patch is blocked, and the path from " + from.getVersion() + " to "
                        + to.getVersion() + " must pass " + line + ": wait for a fixed patch"));
    }

    /** True when the version is {@code major.minor.patch} or later. */
    public static boolean atLeast(Semver v, int major, int minor, int patch) {
        return v.isGreaterThanOrEqualTo(Versions.of(major, minor, patch));
    }
}
