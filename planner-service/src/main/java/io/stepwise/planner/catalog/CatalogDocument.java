package io.stepwise.planner.catalog;

import io.stepwise.model.Product;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.semver4j.Semver;

/**
 * The catalog as people write it (built-in resource, operator file, {@code PUT /api/v1/catalog/{product}}):
 * <pre>
 * {"product": "weaviate", "source": "where the data comes from",
 *  "lines":   [{"line": "1.25", "firstPatch": 0, "latestPatch": 34}, ...],
 *  "blocked": [{"from": "1.27.23", "to": "1.27.26", "reason": "restoration hang"}, ...]}
 * </pre>
 */
public record CatalogDocument(String product, String source, List<Line> lines, List<Blocked> blocked) {

    public record Line(String line, Integer firstPatch, Integer latestPatch) {
    }

    public record Blocked(String from, String to, String reason) {
    }

    private static final Pattern LINE = Pattern.compile("(\\d{1,4})\\.(\\d{1,4})");

    /** Checks the document and turns it into a catalog; every problem found is reported with its field path. */
    public VersionCatalog toCatalog() {
        List<String> errors = new ArrayList<>();
        Optional<Product> parsedProduct = Product.fromId(product);
        if (parsedProduct.isEmpty()) {
            errors.add("product: '" + product + "' is not a known product (" + String.join(", ", Product.ids()) + ")");
        }
        List<ReleaseLine> releaseLines = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        if (lines == null || lines.isEmpty()) {
            errors.add("lines: at least one release line is required");
        } else {
            for (int i = 0; i < lines.size(); i++) {
                parseLine(lines.get(i), "lines[" + i + "]", errors).ifPresent(l -> {
                    if (!seen.add(l.name())) {
                        errors.add("lines: line " + l.name() + " appears twice");
                    }
                    releaseLines.add(l);
                });
            }
        }
        List<BlockedRange> blockedRanges = new ArrayList<>();
        if (blocked != null) {
            for (int i = 0; i < blocked.size(); i++) {
                parseBlocked(blocked.get(i), "blocked[" + i + "]", errors).ifPresent(blockedRanges::add);
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidCatalogException(errors);
        }
        return new VersionCatalog(parsedProduct.orElseThrow(), source, releaseLines, blockedRanges);
    }

    private static Optional<ReleaseLine> parseLine(Line line, String path, List<String> errors) {
        if (line == null || line.line() == null) {
            errors.add(path + ".line: required, e.g. \"1.25\"");
            return Optional.empty();
        }
        Matcher m = LINE.matcher(line.line().trim());
        if (!m.matches()) {
            errors.add(path + ".line: '" + line.line() + "' is not major.minor, e.g. \"1.25\"");
            return Optional.empty();
        }
        int first = line.firstPatch() == null ? 0 : line.firstPatch();
        if (line.latestPatch() == null) {
            errors.add(path + ".latestPatch: required");
            return Optional.empty();
        }
        if (first < 0 || line.latestPatch() < first) {
            errors.add(path + ": patches must satisfy 0 <= firstPatch <= latestPatch (got "
                    + first + ".." + line.latestPatch() + ")");
            return Optional.empty();
        }
        return Optional.of(new ReleaseLine(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                first, line.latestPatch()));
    }

    private static Optional<BlockedRange> parseBlocked(Blocked b, String path, List<String> errors) {
        if (b == null) {
            errors.add(path + ": must not be null");
            return Optional.empty();
        }
        Optional<Semver> from = Versions.parse(b.from());
        Optional<Semver> to = b.to() == null ? from : Versions.parse(b.to());
        if (from.isEmpty()) {
            errors.add(path + ".from: '" + b.from() + "' is not a version like 1.27.23");
        }
        if (to.isEmpty()) {
            errors.add(path + ".to: '" + b.to() + "' is not a version like 1.27.26");
        }
        if (from.isEmpty() || to.isEmpty()) {
            return Optional.empty();
        }
        if (from.get().isGreaterThan(to.get())) {
            errors.add(path + ": from " + b.from() + " is after to " + b.to());
            return Optional.empty();
        }
        return Optional.of(new BlockedRange(from.get(), to.get(), b.reason() == null ? "" : b.reason()));
    }

    /** The document form of a catalog, for showing the catalog in force. */
    public static CatalogDocument of(VersionCatalog catalog) {
        return new CatalogDocument(catalog.product().id(), catalog.source(),
                catalog.lines().stream()
                        .map(l -> new Line(l.name(), l.firstPatch(), l.latestPatch()))
                        .toList(),
                catalog.blocked().stream()
                        .map(b -> new Blocked(b.from().getVersion(), b.to().getVersion(), b.reason()))
                        .toList());
    }
}
