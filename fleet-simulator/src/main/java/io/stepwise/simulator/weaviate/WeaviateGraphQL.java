package io.stepwise.simulator.weaviate;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The slice of Weaviate's GraphQL ({@code POST /v1/graphql}) a health check uses: {@code Aggregate} of
 * {@code meta { count }} per collection, and {@code Get} of a collection's objects with {@code limit}. As Weaviate
 * does, every query answers 200: a query it cannot run has {@code errors} (an unknown collection, a syntax error)
 * and no {@code data}. Anything beyond this slice is answered with an error naming what the simulator does not support,
 * never with made-up data.
 */
final class WeaviateGraphQL {

    /** Weaviate's QUERY_DEFAULTS_LIMIT when a Get says no limit. */
    static final int DEFAULT_LIMIT = 10;

    private WeaviateGraphQL() {
    }

    /** The answer to {@code query} over these collections and their object counts. */
    static JsonObject answer(String query, Map<String, Long> collections) {
        Field root;
        try {
            root = new Parser(query).document();
        } catch (GraphQLError e) {
            return errors(e);
        }
        JsonObject data = new JsonObject();
        try {
            for (Field operation : root.selections) {
                switch (operation.name) {
                    case "Get" -> data.put("Get", get(operation, collections));
                    case "Aggregate" -> data.put("Aggregate", aggregate(operation, collections));
                    default -> throw new GraphQLError("Cannot query field \"" + operation.name + "\" on type"
                            + " \"WeaviateObj\".", operation.line, operation.column);
                }
            }
        } catch (GraphQLError e) {
            return errors(e);
        }
        return new JsonObject().put("data", data);
    }

    private static JsonObject get(Field get, Map<String, Long> collections) {
        JsonObject classes = new JsonObject();
        for (Field collection : get.selections) {
            Long count = known(collection, collections, "GetObjectsObj");
            int limit = collection.limit();
            JsonArray objects = new JsonArray();
            for (long i = 0; i < Math.min(count, limit); i++) {
                objects.add(object(collection, i));
            }
            classes.put(collection.name, objects);
        }
        return classes;
    }

    /** One object: {@code _additional { id }} from its position, any property as a string naming it. */
    private static JsonObject object(Field collection, long index) {
        JsonObject object = new JsonObject();
        for (Field property : collection.selections) {
            if (property.name.equals("_additional")) {
                JsonObject additional = new JsonObject();
                for (Field a : property.selections) {
                    if (!a.name.equals("id")) {
                        throw new GraphQLError("the simulator answers only _additional { id }", a.line, a.column);
                    }
                    additional.put("id", UUID.nameUUIDFromBytes((collection.name + "/" + index).getBytes()).toString());
                }
                object.put("_additional", additional);
            } else if (!property.selections.isEmpty()) {
                throw new GraphQLError("the simulator answers only scalar properties, not " + property.name,
                        property.line, property.column);
            } else {
                object.put(property.name, collection.name + " " + index + " " + property.name);
            }
        }
        return object;
    }

    private static JsonObject aggregate(Field aggregate, Map<String, Long> collections) {
        JsonObject classes = new JsonObject();
        for (Field collection : aggregate.selections) {
            long count = known(collection, collections, "AggregateObjectsObj");
            JsonObject group = new JsonObject();
            for (Field field : collection.selections) {
                if (!field.name.equals("meta") || field.selections.size() != 1
                        || !field.selections.get(0).name.equals("count")) {
                    throw new GraphQLError("the simulator answers only meta { count } in Aggregate", field.line,
                            field.column);
                }
                group.put("meta", new JsonObject().put("count", count));
            }
            classes.put(collection.name, new JsonArray().add(group));
        }
        return classes;
    }

    private static long known(Field collection, Map<String, Long> collections, String type) {
        Long count = collections.get(collection.name);
        if (count == null) {
            throw new GraphQLError("Cannot query field \"" + collection.name + "\" on type \"" + type + "\".",
                    collection.line, collection.column);
        }
        return count;
    }

    private static JsonObject errors(GraphQLError e) {
        JsonObject error = new JsonObject().put("message", e.getMessage())
                .put("locations", new JsonArray().add(new JsonObject().put("line", e.line).put("column", e.column)));
        return new JsonObject().put("errors", new JsonArray().add(error));
    }

    private static final class GraphQLError extends RuntimeException {
        final int line;
        final int column;

        GraphQLError(String message, int line, int column) {
            super(message);
            this.line = line;
            this.column = column;
        }
    }

    /** A field with its arguments (kept as text) and its selections. */
    private record Field(String name, Map<String, String> arguments, List<Field> selections, int line, int column) {

        int limit() {
            String limit = arguments.get("limit");
            if (limit == null) {
                return DEFAULT_LIMIT;
            }
            try {
                return Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                throw new GraphQLError("Argument \"limit\" has invalid value " + limit + ".", line, column);
            }
        }
    }

    /** Recursive descent over {@code [query [Name]] { field(arg: value) { ... } ... }}: no fragments, no variables. */
    private static final class Parser {
        private final String text;
        private int pos;
        private int line = 1;
        private int lineStart;

        Parser(String text) {
            this.text = text == null ? "" : text;
        }

        Field document() {
            skipIgnored();
            int line = this.line;
            int column = column();
            if (peekName()) {
                String keyword = name();
                if (!keyword.equals("query")) {
                    throw syntax("Unexpected Name \"" + keyword + "\"");
                }
                skipIgnored();
                if (peekName()) {
                    name();
                    skipIgnored();
                }
            }
            List<Field> selections = selectionSet();
            skipIgnored();
            if (pos < text.length()) {
                throw syntax("Unexpected " + describe());
            }
            return new Field("query", Map.of(), selections, line, column);
        }

        private List<Field> selectionSet() {
            expect('{');
            List<Field> fields = new ArrayList<>();
            skipIgnored();
            while (!at('}')) {
                fields.add(field());
                skipIgnored();
            }
            if (fields.isEmpty()) {
                throw syntax("Expected Name, found }");
            }
            pos++;
            return fields;
        }

        private Field field() {
            int line = this.line;
            int column = column();
            String name = name();
            skipIgnored();
            Map<String, String> arguments = new java.util.LinkedHashMap<>();
            if (at('(')) {
                pos++;
                skipIgnored();
                while (!at(')')) {
                    String argument = name();
                    skipIgnored();
                    expect(':');
                    skipIgnored();
                    arguments.put(argument, value());
                    skipIgnored();
                }
                pos++;
                skipIgnored();
            }
            List<Field> selections = at('{') ? selectionSet() : List.of();
            return new Field(name, arguments, selections, line, column);
        }

        /** A value as its text: a number, string, enum, or a nested object or list taken whole. */
        private String value() {
            int start = pos;
            if (at('"')) {
                pos++;
                while (pos < text.length() && text.charAt(pos) != '"') {
                    pos += text.charAt(pos) == '\\' ? 2 : 1;
                }
                expect('"');
                return text.substring(start + 1, pos - 1);
            }
            if (at('{') || at('[')) {
                int depth = 0;
                do {
                    char c = text.charAt(pos++);
                    depth += c == '{' || c == '[' ? 1 : c == '}' || c == ']' ? -1 : 0;
                } while (depth > 0 && pos < text.length());
                if (depth > 0) {
                    throw syntax("Expected }, found EOF");
                }
                return text.substring(start, pos);
            }
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || "-_.".indexOf(text.charAt(pos)) >= 0)) {
                pos++;
            }
            if (pos == start) {
                throw syntax("Unexpected " + describe());
            }
            return text.substring(start, pos);
        }

        private String name() {
            if (!peekName()) {
                throw syntax("Expected Name, found " + describe());
            }
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
                pos++;
            }
            return text.substring(start, pos);
        }

        private boolean peekName() {
            return pos < text.length() && (Character.isLetter(text.charAt(pos)) || text.charAt(pos) == '_');
        }

        private boolean at(char c) {
            if (pos >= text.length()) {
                throw syntax("Expected Name, found EOF");
            }
            return text.charAt(pos) == c;
        }

        private void expect(char c) {
            if (pos >= text.length() || text.charAt(pos) != c) {
                throw syntax("Expected " + c + ", found " + describe());
            }
            pos++;
        }

        /** Whitespace, commas and comments are insignificant in GraphQL. */
        private void skipIgnored() {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == '\n') {
                    line++;
                    lineStart = pos + 1;
                    pos++;
                } else if (Character.isWhitespace(c) || c == ',') {
                    pos++;
                } else if (c == '#') {
                    while (pos < text.length() && text.charAt(pos) != '\n') {
                        pos++;
                    }
                } else {
                    return;
                }
            }
        }

        private String describe() {
            return pos >= text.length() ? "EOF" : "\"" + text.charAt(pos) + "\"";
        }

        private int column() {
            return pos - lineStart + 1;
        }

        private GraphQLError syntax(String message) {
            return new GraphQLError("Syntax Error GraphQL request (" + line + ":" + column() + ") " + message, line,
                    column());
        }
    }
}
