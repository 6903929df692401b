package io.stepwise.planner.rest.console;

import io.stepwise.planner.catalog.Versions;
import io.stepwise.planner.domain.Cluster;
import io.stepwise.planner.domain.MaintenanceWindow;
import io.stepwise.planner.service.Fleet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.semver4j.Semver;

/** The fleet page's model: the version distribution by product and minor line, and one page of clusters. */
public record FleetView(List<ProductVersions> products, List<Row> rows, Pager pager) {

    /** One product's clusters by minor line, newest line first. */
    public record ProductVersions(String product, long clusters, List<LineBar> lines) {
    }

    /** A minor line's share: {@code percent} of the product's largest line, for the bar; the patches in words. */
    public record LineBar(String line, long clusters, int percent, String versions) {
    }

    public record Row(Cluster cluster, String rolloutId, String labels) {

        /** Its maintenance windows, for people ("SAT,SUN 22:00 for PT6H (Europe/Berlin)"); empty when none. */
        public String windows() {
            return cluster.windows == null ? "" : String.join("; ", cluster.windows.stream()
                    .map(MaintenanceWindow::describe).toList());
        }
    }

    static FleetView of(Fleet fleet, String query) {
        Map<String, Map<String, Long>> byProductAndVersion = new TreeMap<>();
        for (Fleet.VersionCount count : fleet.versions()) {
            byProductAndVersion.computeIfAbsent(count.product(), p -> new TreeMap<>())
                    .merge(count.version() == null ? "unknown" : count.version(), count.clusters(), Long::sum);
        }
        List<ProductVersions> products = new ArrayList<>();
        byProductAndVersion.forEach((product, versions) -> products.add(productVersions(product, versions)));
        List<Row> rows = fleet.clusters().items().stream()
                .map(c -> new Row(c, fleet.rolloutOf().get(c.id), labels(c.labels))).toList();
        return new FleetView(products, rows, Pager.of(fleet.clusters(), query));
    }

    private static ProductVersions productVersions(String product, Map<String, Long> versions) {
        Map<String, Map<String, Long>> byLine = new TreeMap<>(FleetView::newestFirst);
        versions.forEach((version, n) -> byLine.computeIfAbsent(line(version), l -> new TreeMap<>(FleetView::newestFirst))
                .put(version, n));
        long largest = byLine.values().stream().mapToLong(FleetView::sum).max().orElse(1);
        List<LineBar> lines = new ArrayList<>();
        byLine.forEach((line, patches) -> {
            long n = sum(patches);
            List<String> words = new ArrayList<>();
            patches.forEach((version, count) -> words.add(version + " ×" + count));
            lines.add(new LineBar(line, n, (int) Math.max(1, Math.round(100.0 * n / largest)), String.join(", ", words)));
        });
        return new ProductVersions(product, versions.values().stream().mapToLong(Long::longValue).sum(), lines);
    }

    private static long sum(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    private static String line(String version) {
        return Versions.parse(version).map(Versions::line).orElse(version);
    }

    /** Versions (or lines) newest first; text that is not a version after them, alphabetically. */
    private static int newestFirst(String a, String b) {
        Semver x = asVersion(a);
        Semver y = asVersion(b);
        if (x != null && y != null) {
            return y.compareTo(x);
        }
        return x != null ? -1 : y != null ? 1 : a.compareTo(b);
    }

    /** A version, or a line ({@code 1.24}) as its first patch; null for other text. */
    private static Semver asVersion(String text) {
        return Versions.parse(text).or(() -> Versions.parse(text + ".0")).orElse(null);
    }

    private static String labels(Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            return "";
        }
        List<String> pairs = new ArrayList<>();
        new TreeMap<>(labels).forEach((k, v) -> pairs.add(k + "=" + v));
        return String.join(", ", pairs);
    }
}
