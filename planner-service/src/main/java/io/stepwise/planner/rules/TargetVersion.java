package io.stepwise.planner.rules;

import io.stepwise.planner.catalog.Versions;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.semver4j.Semver;

/**
 * A target as people write it: {@code 1.30.23} (exact), {@code 1.30} (the latest non-blocked patch of that
 * line) or {@code latest} (the newest non-blocked version).
 */
public record TargetVersion(String text, Semver exact, Integer major, Integer minor) {

    private static final Pattern LINE = Pattern.compile("v?(\\d{1,4})\\.(\\d{1,4})");

    public static final String FORMS = "an exact version such as 1.30.23, a minor line such as 1.30, or 'latest'";

    public static Optional<TargetVersion> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String trimmed = text.trim();
        if (trimmed.toLowerCase(Locale.ROOT).equals("latest")) {
            return Optional.of(new TargetVersion("latest", null, null, null));
        }
        Matcher line = LINE.matcher(trimmed);
        if (line.matches()) {
            return Optional.of(new TargetVersion(trimmed, null,
                    Integer.parseInt(line.group(1)), Integer.parseInt(line.group(2))));
        }
        return Versions.parse(trimmed).map(v -> new TargetVersion(trimmed, v, null, null));
    }

    public boolean isLatest() {
        return exact == null && major == null;
    }

    public boolean isLine() {
        return exact == null && major != null;
    }
}
