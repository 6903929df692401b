package io.stepwise.executor.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes label selector over a cluster's inventory labels, as the planner reads one: requirements joined by
 * commas, all of which must hold ({@code env=prod}, {@code env==prod}, {@code tier!=db}, {@code region in (eu,us)},
 * {@code region notin (ap)}, {@code canary}, {@code !canary}). Kept here rather than shared because the executor
 * must never reach into the planner.
 */
public record LabelSelector(List<Requirement> requirements) {

    public enum Operator { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

    public record Requirement(String key, Operator operator, Set<String> values) {

        boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case EQUALS, IN -> value != null && values.contains(value);
                case NOT_EQUALS, NOT_IN -> value == null || !values.contains(value);
                case EXISTS -> labels.containsKey(key);
                case DOES_NOT_EXIST -> !labels.containsKey(key);
            };
        }
    }

    private static final Pattern KEY =
            Pattern.compile("([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");
    private static final Pattern SET = Pattern.compile("(\\S+)\\s+(in|notin)\\s*\\((.*)\\)");
    private static final Pattern COMPARISON = Pattern.compile("([^=!\\s]+)\\s*(==|!=|=)\\s*(\\S*)");

    public boolean matches(Map<String, String> labels) {
        return requirements.stream().allMatch(r -> r.matches(labels == null ? Map.of() : labels));
    }

    /** Parses a selector; refuses a blank one, which as a binding would select every cluster by accident. */
    public static LabelSelector parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("an empty selector");
        }
        List<Requirement> requirements = new ArrayList<>();
        for (String part : splitOutsideParentheses(text)) {
            requirements.add(requirement(part.trim()));
        }
        return new LabelSelector(List.copyOf(requirements));
    }

    private static Requirement requirement(String part) {
        if (part.isEmpty()) {
            throw new IllegalArgumentException("an empty requirement");
        }
        Matcher set = SET.matcher(part);
        if (set.matches()) {
            Set<String> values = new LinkedHashSet<>();
            for (String value : set.group(3).split(",")) {
                values.add(check(VALUE, value.trim()));
            }
            return new Requirement(check(KEY, set.group(1)), set.group(2).equals("in") ? Operator.IN : Operator.NOT_IN,
                    Set.copyOf(values));
        }
        Matcher comparison = COMPARISON.matcher(part);
        if (comparison.matches()) {
            Operator op = comparison.group(2).equals("!=") ? Operator.NOT_EQUALS : Operator.EQUALS;
            return new Requirement(check(KEY, comparison.group(1)), op, Set.of(check(VALUE, comparison.group(3))));
        }
        if (part.startsWith("!")) {
            return new Requirement(check(KEY, part.substring(1).trim()), Operator.DOES_NOT_EXIST, Set.of());
        }
        return new Requirement(check(KEY, part), Operator.EXISTS, Set.of());
    }

    private static String check(Pattern pattern, String text) {
        if (!pattern.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a valid label key or value");
        }
        return text;
    }

    private static List<String> splitOutsideParentheses(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth < 0) {
                throw new IllegalArgumentException("a parenthesis closed that was never opened");
            }
            if (c == ',' && depth == 0) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (depth != 0) {
            throw new IllegalArgumentException("a parenthesis left open");
        }
        parts.add(current.toString());
        return parts;
    }
}
