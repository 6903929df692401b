package io.stepwise.simulator.weaviate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small, strict checker of response bodies against a Weaviate Swagger 2.0 spec: every field the
 * simulator emits must be declared, with the declared type and enum; required fields must be there;
 * a response the spec gives no schema must have no body.
 */
final class OpenApiSpec {

    /**
     * Fields that are {@code interface{}} in Weaviate's Go models, which the spec writes as
     * {@code type: object} though real servers put strings (leaderId, leaderAddress) or arrays
     * (latestConfiguration) there (entities/models/statistics.go in weaviate/weaviate). Any JSON value is accepted
     * for them.
     */
    private static final Set<String> UNTYPED = Set.of("Statistics.leaderId", "Statistics.leaderAddress",
            "Statistics.candidates", "RaftStatistics.latestConfiguration");

    private final JsonNode spec;
    private final String name;

    private OpenApiSpec(String name, JsonNode spec) {
        this.name = name;
        this.spec = spec;
    }

    static OpenApiSpec load(String resource) {
        try (InputStream in = OpenApiSpec.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return new OpenApiSpec(resource, new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String version() {
        return spec.path("info").path("version").asText();
    }

    boolean hasOperation(String path, String method) {
        return spec.path("paths").path(path).has(method.toLowerCase());
    }

    /** Problems of {@code body} as the answer {@code status} of {@code method path} (path relative to /v1). */
    List<String> checkResponse(String path, String method, int status, String body) {
        JsonNode operation = spec.path("paths").path(path).path(method.toLowerCase());
        if (operation.isMissingNode()) {
            return List.of(name + ": no operation " + method + " " + path);
        }
        JsonNode response = operation.path("responses").path(String.valueOf(status));
        if (response.isMissingNode()) {
            return List.of(name + ": " + method + " " + path + " declares no response " + status);
        }
        JsonNode schema = response.path("schema");
        if (schema.isMissingNode()) {
            return body == null || body.isEmpty() ? List.of()
                    : List.of(name + ": " + method + " " + path + " " + status + " has no schema but a body: " + body);
        }
        try {
            List<String> problems = new ArrayList<>();
            check(schema, new ObjectMapper().readTree(body), "$", null, problems);
            return problems;
        } catch (IOException e) {
            return List.of("not JSON: " + body);
        }
    }

    private JsonNode resolve(JsonNode schema) {
        while (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            schema = spec.path("definitions").path(ref.substring(ref.lastIndexOf('/') + 1));
        }
        return schema;
    }

    private static String definitionName(JsonNode schema) {
        String ref = schema.path("$ref").asText("");
        return ref.isEmpty() ? null : ref.substring(ref.lastIndexOf('/') + 1);
    }

    private void check(JsonNode rawSchema, JsonNode value, String at, String owner, List<String> problems) {
        String definition = definitionName(rawSchema);
        JsonNode schema = resolve(rawSchema);
        if (definition != null) {
            owner = definition;
        }
        List<String> types = types(schema);
        if (value.isNull()) {
            if (!types.contains("null")) {
                problems.add(at + ": null is not allowed");
            }
            return;
        }
        if (types.contains("array") || schema.has("items")) {
            if (!value.isArray()) {
                problems.add(at + ": expected an array, got " + value);
                return;
            }
            for (int i = 0; i < value.size(); i++) {
                check(schema.path("items"), value.get(i), at + "[" + i + "]", owner, problems);
            }
            return;
        }
        if (schema.has("properties") || types.contains("object")) {
            if (!value.isObject()) {
                problems.add(at + ": expected an object, got " + value);
                return;
            }
            JsonNode properties = schema.path("properties");
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode property = properties.path(field.getKey());
                if (!schema.has("properties")) {
                    continue; // a free-form object (e.g. Meta.modules)
                }
                if (property.isMissingNode()) {
                    problems.add(at + "." + field.getKey() + ": not in the spec" + (owner == null ? "" : " of " + owner));
                } else if (!UNTYPED.contains(owner + "." + field.getKey())) {
                    check(property, field.getValue(), at + "." + field.getKey(), owner, problems);
                }
            }
            for (JsonNode required : schema.path("required")) {
                if (!value.has(required.asText())) {
                    problems.add(at + ": required field " + required.asText() + " is missing");
                }
            }
            return;
        }
        checkScalar(schema, types, value, at, problems);
    }

    private static void checkScalar(JsonNode schema, List<String> types, JsonNode value, String at,
                                    List<String> problems) {
        boolean ok = types.isEmpty() || types.stream().anyMatch(type -> switch (type) {
            case "string" -> value.isTextual();
            case "boolean" -> value.isBoolean();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            default -> false;
        });
        if (!ok) {
            problems.add(at + ": expected " + types + ", got " + value);
            return;
        }
        if (schema.has("enum")) {
            boolean listed = false;
            for (JsonNode allowed : schema.get("enum")) {
                listed |= allowed.equals(value);
            }
            if (!listed) {
                problems.add(at + ": " + value + " is not one of " + schema.get("enum"));
            }
        }
        if ("date-time".equals(schema.path("format").asText()) && value.isTextual()) {
            try {
                OffsetDateTime.parse(value.asText());
            } catch (DateTimeParseException e) {
                problems.add(at + ": not a date-time: " + value);
            }
        }
    }

    private static List<String> types(JsonNode schema) {
        JsonNode type = schema.path("type");
        List<String> types = new ArrayList<>();
        if (type.isArray()) {
            type.forEach(t -> types.add(t.asText()));
        } else if (type.isTextual()) {
            types.add(type.asText());
        }
        return types;
    }
}
