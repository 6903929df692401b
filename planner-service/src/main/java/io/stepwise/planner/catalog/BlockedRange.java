package io.stepwise.planner.catalog;

import org.semver4j.Semver;

/** Patches a vendor's known-issues page says not to run, inclusive on both ends, with the reason to show people. */
public record BlockedRange(Semver from, Semver to, String reason) {

    public boolean contains(Semver version) {
        return version.isGreaterThanOrEqualTo(from) && version.isLowerThanOrEqualTo(to);
    }

    public String describe() {
        return from.equals(to) ? from.getVersion() : from.getVersion() + "–" + to.getVersion();
    }
}
