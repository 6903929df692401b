package io.stepwise.executor.config;

import io.stepwise.executor.handler.StepFailedException;
import java.util.regex.Pattern;

/**
 * The shapes of what a cluster's registration hands to the Kubernetes API and to command lines, checked again here
 * (the planner checks them too) because an executor must not trust its input: a name that starts with {@code -}
 * would be read as a flag by kubectl or helm.
 */
public final class Names {

    /** RFC 1123 label: a namespace, up to 63 characters. */
    public static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** RFC 1123 subdomain: a StatefulSet or helm release name, up to 253 characters. */
    public static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    /** A product version as plans name them: 1.25.34, v2.11.6, 1.30.0-rc.1. */
    public static final Pattern VERSION = Pattern.compile("v?\\d{1,4}(\\.\\d{1,4}){1,3}([-+][0-9A-Za-z.+-]{1,64})?");
    /** A cluster id as the inventory allows it. */
    public static final Pattern CLUSTER_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /** A step id as the planner makes them (UUIDs; tests use readable ones). */
    public static final Pattern STEP_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,199}");

    private Names() {
    }

    /** Fails the step, naming the field and what it should be, when {@code value} does not have the shape. */
    public static String require(Pattern shape, String what, String value, String clusterId) {
        if (value == null || !shape.matcher(value).matches()) {
            throw new StepFailedException("the " + what + " '" + printable(value) + "' of cluster " + clusterId
                    + " is not a valid " + describe(shape) + "; nothing was done");
        }
        return value;
    }

    private static String describe(Pattern shape) {
        if (shape == DNS_LABEL) {
            return "DNS-1123 label (lower-case letters, digits and '-', up to 63 characters)";
        }
        if (shape == DNS_SUBDOMAIN) {
            return "DNS-1123 name (lower-case letters, digits, '-' and '.', up to 253 characters)";
        }
        if (shape == VERSION) {
            return "version (such as 1.25.34)";
        }
        return "value (" + shape.pattern() + ")";
    }

    /** A value as it may appear in a message: control characters replaced, bounded. */
    public static String printable(String value) {
        if (value == null) {
            return "";
        }
        String cleaned = value.replaceAll("\\p{Cntrl}", "?");
        return cleaned.length() > 80 ? cleaned.substring(0, 80) + "…" : cleaned;
    }
}
