package io.stepwise.planner.catalog;

import org.semver4j.Semver;

/** One minor release line of a product: every patch from {@code firstPatch} to {@code latestPatch} was released. */
public record ReleaseLine(int major, int minor, int firstPatch, int latestPatch) {

    public boolean contains(Semver version) {
        return Versions.onLine(version, major, minor)
                && version.getPatch() >= firstPatch && version.getPatch() <= latestPatch
                && version.getPreRelease().isEmpty();
    }

    public Semver patch(int patch) {
        return Versions.of(major, minor, patch);
    }

    public String name() {
        return major + "." + minor;
    }
}
