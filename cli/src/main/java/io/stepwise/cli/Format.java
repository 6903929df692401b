package io.stepwise.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/** {@code --output}: a table for people (the default), or the planner's answer itself as JSON or YAML. */
enum Format {
    table, json, yaml;

    /** Prints a document as JSON or YAML. */
    void print(PrintWriter out, JsonNode document) {
        try {
            if (this == yaml) {
                out.print(Json.yaml().writeValueAsString(document));
            } else {
                out.println(Json.MAPPER.writeValueAsString(document));
            }
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Prints one document of a stream: one line of JSON (JSON Lines), or a YAML document after "---". */
    void printEvent(PrintWriter out, JsonNode document) {
        if (this == yaml) {
            out.println("---");
            print(out, document);
        } else {
            out.println(document.toString());
        }
        out.flush();
    }
}
