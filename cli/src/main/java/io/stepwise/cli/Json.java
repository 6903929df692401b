package io.stepwise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** The JSON (and, loaded only when used, YAML) mappers and small readers of the planner's answers. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private static volatile YAMLMapper yaml;

    private Json() {
    }

    static YAMLMapper yaml() {
        if (yaml == null) {
            yaml = new YAMLMapper(YAMLFactory.builder()
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    // "1.30" and "15" stay strings: unquoted, YAML would read them back as numbers
                    .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .build());
        }
        return yaml;
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** The field's text, or {@code ""} when it is missing or null. */
    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? "" : value.asText();
    }

    /** The field as a time, or null when missing, null or unreadable. */
    static Instant time(JsonNode node, String field) {
        String text = text(node, field);
        try {
            return text.isEmpty() ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A time as people read it in a table: {@code 2025-06-02 09:14:03Z}. */
    static String shortTime(String iso) {
        if (iso == null || iso.isEmpty()) {
            return "-";
        }
        String t = iso.replace('T', ' ');
        int dot = t.indexOf('.');
        return dot > 0 && t.endsWith("Z") ? t.substring(0, dot) + "Z" : t;
    }

    /** {@code 0:42}, {@code 12:07}, {@code 1:02:09}. */
    static String duration(Duration d) {
        long s = Math.max(0, d.getSeconds());
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }
}
