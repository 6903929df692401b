package io.stepwise.planner.domain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A label selector as Kubernetes writes it: requirements joined by commas, all of which must hold.
 * {@code env=prod}, {@code env==prod}, {@code tier!=db}, {@code region in (eu, us)}, {@code region notin (ap)},
 * {@code canary} (label present), {@code !canary} (label absent). As in Kubernetes, {@code !=} and
 * {@code notin} also match clusters that do not have the label at all.
 */
public record LabelSelector(List<Requirement> requirements) {

    public enum Operator { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

    public record Requirement(String key, Operator operator, Set<String> values) {

        public boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case EQUALS, IN -> value != null && values.contains(value);
                case NOT_EQUALS, NOT_IN -> value == null || !values.contains(value);
                case EXISTS -> labels.containsKey(key);
                case DOES_NOT_EXIST -> !labels.containsKey(key);
            };
        }
    }

    /** Label keys as Kubernetes allows them: an optional DNS prefix and a name of up to 63 characters. */
    public static final String KEY_REGEX =
            "([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?";
    public static final Pattern KEY = Pattern.compile(KEY_REGEX);
    /** Label values as Kubernetes allows them: empty, or up to 63 characters. */
    public static final String VALUE_REGEX = "([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?";
    public static final Pattern VALUE = Pattern.compile(VALUE_REGEX);

    private static final Pattern SET = Pattern.compile("(\\S+)\\s+(in|notin)\\s*\\((.*)\\)");
    private static final Pattern COMPARISON = Pattern.compile("([^=!\\s]+)\\s*(==|!=|=)\\s*(\\S*)");

    public static final LabelSelector EVERYTHING = new LabelSelector(List.of());

    public boolean matches(Map<String, String> labels) {
        return requirements.stream().allMatch(r -> r.matches(labels));
    }

    /** Parses a selector; a blank one selects everything. */
    public static LabelSelector parse(String text) {
        if (text == null || text.isBlank()) {
            return EVERYTHING;
        }
        List<Requirement> requirements = new ArrayList<>();
        for (String part : splitOutsideParentheses(text)) {
            requirements.add(parseRequirement(part.trim(), text));
        }
        return new LabelSelector(List.copyOf(requirements));
    }

    private static Requirement parseRequirement(String part, String whole) {
        if (part.isEmpty()) {
            throw new InvalidSelectorException("'" + whole + "' has an empty requirement (two commas in a row,"
                    + " or a comma at an end)");
        }
        Matcher set = SET.matcher(part);
        if (set.matches()) {
            Set<String> values = new LinkedHashSet<>();
            for (String value : set.group(3).split(",")) {
                values.add(checkValue(value.trim(), part));
            }
            return new Requirement(checkKey(set.group(1), part),
                    set.group(2).equals("in") ? Operator.IN : Operator.NOT_IN, Set.copyOf(values));
        }
        Matcher comparison = COMPARISON.matcher(part);
        if (comparison.matches()) {
            Operator op = comparison.group(2).equals("!=") ? Operator.NOT_EQUALS : Operator.EQUALS;
            return new Requirement(checkKey(comparison.group(1), part), op,
                    Set.of(checkValue(comparison.group(3), part)));
        }
        if (part.startsWith("!")) {
            return new Requirement(checkKey(part.substring(1).trim(), part), Operator.DOES_NOT_EXIST, Set.of());
        }
        return new Requirement(checkKey(part, part), Operator.EXISTS, Set.of());
    }

    private static String checkKey(String key, String part) {
        if (!KEY.matcher(key).matches()) {
            throw new InvalidSelectorException("'" + key + "' in '" + part + "' is not a valid label key"
                    + " (letters, digits, '-', '_', '.', up to 63 characters, optionally prefix/)");
        }
        return key;
    }

    private static String checkValue(String value, String part) {
        if (!VALUE.matcher(value).matches()) {
            throw new InvalidSelectorException("'" + value + "' in '" + part + "' is not a valid label value"
                    + " (letters, digits, '-', '_', '.', up to 63 characters)");
        }
        return value;
    }

    private static List<String> splitOutsideParentheses(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
                if (depth < 0) {
                    throw new InvalidSelectorException("'" + text + "' closes a parenthesis it never opened");
                }
            }
            if (c == ',' && depth == 0) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (depth != 0) {
            throw new InvalidSelectorException("'" + text + "' leaves a parenthesis open");
        }
        parts.add(current.toString());
        return parts;
    }
}
