package io.stepwise.executor.actuator;

import io.stepwise.executor.config.Names;
import io.stepwise.executor.handler.StepFailedException;
import io.stepwise.model.ClusterConnection;
import io.stepwise.model.StepRequested;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An operator's command line with {placeholders}, split into arguments (quotes keep a phrase) before they are filled,
 * so a value with spaces or shell characters stays one argument and no shell ever reads it. Each value is checked for
 * its kind before it is used (names as DNS-1123 names, versions as versions), and no value may start with {@code -},
 * which the tool would read as a flag of its own ({@code --all}, {@code --kubeconfig=...}).
 */
public final class CommandTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_.-]+)}");

    private CommandTemplate() {
    }

    /** Values for a step: clusterId, stepId, version, release, namespace, statefulSet, endpoint, extra.KEY. */
    public static Map<String, String> values(StepRequested step, String version) {
        Map<String, String> values = new HashMap<>();
        values.put("clusterId", step.clusterId());
        values.put("stepId", step.stepId());
        values.put("version", version);
        ClusterConnection c = step.cluster();
        if (c != null) {
            values.put("release", c.helmRelease());
            values.put("namespace", c.namespace());
            values.put("statefulSet", c.statefulSet());
            values.put("endpoint", c.endpoint());
            c.extra().forEach((k, v) -> values.put("extra." + k, v));
        }
        return values;
    }

    public static List<String> render(String template, Map<String, String> values) {
        List<String> args = new ArrayList<>();
        for (String token : split(template)) {
            Matcher m = PLACEHOLDER.matcher(token);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String value = values.get(m.group(1));
                if (value == null || value.isBlank()) {
                    throw new StepFailedException("the command template '" + template + "' needs {" + m.group(1)
                            + "}, which this cluster does not have; nothing was run");
                }
                m.appendReplacement(sb, Matcher.quoteReplacement(checked(m.group(1), value, values.get("clusterId"))));
            }
            m.appendTail(sb);
            args.add(sb.toString());
        }
        if (args.isEmpty()) {
            throw new StepFailedException("the command template is empty; nothing was run");
        }
        return args;
    }

    /** The value, if it has the shape its placeholder stands for; else the step fails naming both. */
    static String checked(String placeholder, String value, String clusterId) {
        String cluster = clusterId == null ? "(unknown)" : clusterId;
        if (value.startsWith("-")) {
            throw new StepFailedException("{" + placeholder + "} of cluster " + cluster + " is '" + Names.printable(value)
                    + "', which starts with '-' and would be read as a flag; nothing was run");
        }
        if (value.chars().anyMatch(c -> c < ' ' || c == 0x7f)) {
            throw new StepFailedException("{" + placeholder + "} of cluster " + cluster + " holds control characters;"
                    + " nothing was run");
        }
        switch (placeholder) {
            case "clusterId" -> Names.require(Names.CLUSTER_ID, "id", value, cluster);
            case "stepId" -> Names.require(Names.STEP_ID, "step id", value, cluster);
            case "version" -> Names.require(Names.VERSION, "version", value, cluster);
            case "namespace" -> Names.require(Names.DNS_LABEL, "namespace", value, cluster);
            case "release" -> Names.require(Names.DNS_SUBDOMAIN, "helmRelease", value, cluster);
            case "statefulSet" -> Names.require(Names.DNS_SUBDOMAIN, "statefulSet", value, cluster);
            case "endpoint" -> {
                if (value.chars().anyMatch(Character::isWhitespace) || !value.contains("://")) {
                    throw new StepFailedException("{endpoint} of cluster " + cluster + " is not a URL; nothing was run");
                }
            }
            default -> {
                // extra.KEY and the handlers' own ({file}): any text that is not a flag and has no control characters
            }
        }
        return value;
    }

    static List<String> split(String template) {
        List<String> tokens = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        boolean inToken = false;
        for (char ch : template.toCharArray()) {
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                } else {
                    current.append(ch);
                }
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
                inToken = true;
            } else if (Character.isWhitespace(ch)) {
                if (inToken) {
                    tokens.add(current.toString());
                    current.setLength(0);
                    inToken = false;
                }
            } else {
                current.append(ch);
                inToken = true;
            }
        }
        if (inToken) {
            tokens.add(current.toString());
        }
        return tokens;
    }
}
