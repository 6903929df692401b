package io.stepwise.planner.catalog;

import io.stepwise.model.Product;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.semver4j.Semver;

/**
 * The versions of one product the planner may move clusters to: released minor lines with their patch
 * ranges, and the blocked patches. It is data the operator can replace at run time, never constants in code.
 */
public record VersionCatalog(Product product, String source, List<ReleaseLine> lines, List<BlockedRange> blocked) {

    public VersionCatalog {
        lines = lines.stream()
                .sorted(Comparator.comparingInt(ReleaseLine::major).thenComparingInt(ReleaseLine::minor))
                .toList();
        blocked = List.copyOf(blocked);
    }

    public Optional<ReleaseLine> line(int major, int minor) {
        return lines.stream().filter(l -> l.major() == major && l.minor() == minor).findFirst();
    }

    public boolean isReleased(Semver version) {
        return line(version.getMajor(), version.getMinor()).map(l -> l.contains(version)).orElse(false);
    }

    public Optional<BlockedRange> blockedBy(Semver version) {
        return blocked.stream().filter(b -> b.contains(version)).findFirst();
    }

    public boolean isBlocked(Semver version) {
        return blockedBy(version).isPresent();
    }

    /** {@code latest(m)}: the highest non-blocked patch of line {@code major.minor}, if the line has one. */
    public Optional<Semver> latest(int major, int minor) {
        return line(major, minor).flatMap(line -> {
            for (int patch = line.latestPatch(); patch >= line.firstPatch(); patch--) {
                Semver candidate = line.patch(patch);
                if (!isBlocked(candidate)) {
                    return Optional.of(candidate);
                }
            }
            return Optional.empty();
        });
    }

    /** The newest non-blocked version of the product. */
    public Optional<Semver> newest() {
        for (int i = lines.size() - 1; i >= 0; i--) {
            Optional<Semver> latest = latest(lines.get(i).major(), lines.get(i).minor());
            if (latest.isPresent()) {
                return latest;
            }
        }
        return Optional.empty();
    }

}
