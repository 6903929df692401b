package io.stepwise.executor.config;

import io.stepwise.executor.handler.Redaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that takes secrets out of what the executor says: every status message, event and ledger row goes
 * through {@link #message} (the ledger calls it when it writes a status), a cluster's error body through
 * {@link #excerpt}. Removed: every secret value the secret store holds or has resolved, {@code Authorization:} lines,
 * bearer tokens, credentials in URLs, and {@code password=}, {@code token: }, {@code api_key=}... assignments.
 */
@ApplicationScoped
public class Redactor implements Redaction {

    public static final String MASK = "[redacted]";
    /** Longest status message: a step's message is for people, command output beyond this is noise in an event. */
    public static final int MAX_MESSAGE = 2000;
    /** Longest excerpt of a cluster's error body in a message. */
    public static final int MAX_EXCERPT = 200;
    /** Shorter values cannot be told from ordinary words, so they are not searched for literally. */
    private static final int MIN_SECRET = 4;

    private static final Pattern AUTHORIZATION = Pattern.compile("(?i)(\\bauthorization\\b\"?\\s*[:=]\\s*)[^\\r\\n]*");
    private static final Pattern BEARER = Pattern.compile("(?i)(\\bbearer\\s+)[A-Za-z0-9._~+/=-]+");
    private static final Pattern URL_CREDENTIALS = Pattern.compile("(?i)(\\b[a-z][a-z0-9+.-]*://[^/\\s:@]+:)[^@\\s/]+@");
    /**
     * {@code key=value}, {@code key: value}, {@code "key": "value"} for keys that name a credential. A colon counts only
     * when followed by a space or quote, so references such as {@code secret:prod-eu-1} stay readable.
     */
    private static final Pattern ASSIGNMENT = Pattern.compile("(?i)([A-Za-z0-9_.-]*(?:password|passwd|secret|token"
            + "|api[_-]?key|access[_-]?key|private[_-]?key|credential)s?[\"']?\\s*(?:=|:(?=[\\s\"']))\\s*[\"']?)"
            + "([^\\s\"',;&}\\]]+)");

    private final Supplier<Set<String>> secrets;

    @Inject
    public Redactor(SecretResolver secrets) {
        this(secrets::knownValues);
    }

    Redactor(Supplier<Set<String>> secrets) {
        this.secrets = secrets;
    }

    /** The text with every secret taken out; null stays null. */
    @Override
    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        // longest first, so that a secret containing another is masked whole
        List<String> known = secrets.get().stream().filter(v -> v.length() >= MIN_SECRET)
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        for (String secret : known) {
            if (out.contains(secret)) {
                out = out.replace(secret, MASK);
            }
        }
        out = replace(AUTHORIZATION, out, m -> m.group(1) + MASK);
        out = replace(BEARER, out, m -> m.group(1) + MASK);
        out = replace(URL_CREDENTIALS, out, m -> m.group(1) + MASK + "@");
        out = replace(ASSIGNMENT, out, m -> m.group(2).equals(MASK) || m.group(2).startsWith("[redacted")
                ? m.group() : m.group(1) + MASK);
        return out;
    }

    /** A status message: redacted, control characters other than line breaks and tabs removed, bounded. */
    public String message(String text) {
        if (text == null) {
            return null;
        }
        String out = redact(text).replaceAll("[\\p{Cntrl}&&[^\\n\\t]]", "");
        return truncate(out, MAX_MESSAGE);
    }

    /** A short excerpt of what a cluster answered: redacted, on one line, without control characters, bounded. */
    public String excerpt(String text) {
        if (text == null || text.isBlank()) {
            return "";
        }
        String out = redact(text).replaceAll("\\p{Cntrl}+", " ").replaceAll(" {2,}", " ").strip();
        return truncate(out, MAX_EXCERPT);
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }

    private static String replace(Pattern pattern, String text, java.util.function.Function<Matcher, String> with) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder sb = new StringBuilder();
        do {
            m.appendReplacement(sb, Matcher.quoteReplacement(with.apply(m)));
        } while (m.find());
        m.appendTail(sb);
        return sb.toString();
    }
}
