package io.stepwise.planner.rest.validation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * Refuses, where a request's JSON is read, text no store can keep: a NUL character (Postgres text cannot hold one)
 * or an unpaired surrogate (no valid Unicode). The refusal names the field, as any other malformed input does.
 */
@Singleton
public class StrictStrings implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("strict-strings")
                .addDeserializer(String.class, new Values())
                .addKeyDeserializer(String.class, new Keys()));
    }

    /** Why this text cannot be taken, or null when it can. */
    public static String problem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return "contains a NUL character";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return "contains invalid Unicode (an unpaired surrogate)";
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return "contains invalid Unicode (an unpaired surrogate)";
            }
        }
        return null;
    }

    /** Text no store can keep, found where a request's JSON is read. */
    public static final class UnstorableText extends MismatchedInputException {

        UnstorableText(JsonParser parser, String problem) {
            super(parser, problem, String.class);
        }
    }

    private static final class Values extends StdScalarDeserializer<String> {

        Values() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = StringDeserializer.instance.deserialize(parser, context);
            String problem = text == null ? null : problem(text);
            if (problem != null) {
                throw new UnstorableText(parser, problem);
            }
            return text;
        }
    }

    private static final class Keys extends KeyDeserializer {
        @Override
        public Object deserializeKey(String key, DeserializationContext context) throws IOException {
            String problem = key == null ? null : problem(key);
            if (problem != null) {
                throw new UnstorableText(context.getParser(), "a key " + problem);
            }
            return key;
        }
    }
}
