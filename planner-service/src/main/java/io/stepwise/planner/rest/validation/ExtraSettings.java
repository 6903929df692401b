package io.stepwise.planner.rest.validation;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A cluster's further settings for the executor: keys of 1–200 characters, values of at most 2000, and nothing
 * that looks like a secret (secrets are named in {@code credentialsRef}, never stored).
 */
@Target(FIELD)
@Retention(RUNTIME)
@Constraint(validatedBy = ExtraSettings.Validator.class)
public @interface ExtraSettings {

    String message() default "keys must be 1–200 characters and values at most 2000";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<ExtraSettings, Map<String, String>> {

        /** The query a Weaviate VERIFY runs (executor-service, WeaviateSampleQuery): checked here, where a typo is cheap. */
        private static final String SAMPLE_QUERY = "sampleQuery";
        private static final Pattern SECRET_LIKE = Pattern.compile(".*(password|secret|token|apikey|api-key|api_key).*");

        /** A query shape, not its meaning: only the cluster can say whether its collections and fields exist. */
        private static boolean looksLikeQuery(String value) {
            String query = value.strip();
            return (query.startsWith("{") || query.startsWith("query")) && query.endsWith("}");
        }

        @Override
        public boolean isValid(Map<String, String> extra, ConstraintValidatorContext context) {
            if (extra == null) {
                return true;
            }
            boolean valid = true;
            boolean sizesReported = false;
            context.disableDefaultConstraintViolation();
            for (Map.Entry<String, String> setting : extra.entrySet()) {
                String key = setting.getKey();
                String value = setting.getValue();
                if (key == null || key.isBlank() || key.length() > 200 || value == null || value.length() > 2000) {
                    if (!sizesReported) {
                        context.buildConstraintViolationWithTemplate(context.getDefaultConstraintMessageTemplate())
                                .addConstraintViolation();
                        sizesReported = true;
                    }
                    valid = false;
                } else if (key.equals(SAMPLE_QUERY) && !looksLikeQuery(value)) {
                    context.buildConstraintViolationWithTemplate("must be a GraphQL query for the executor's VERIFY to"
                            + " run, such as { Get { Article(limit: 1) { title } } }").addPropertyNode(key)
                            .addConstraintViolation();
                    valid = false;
                } else if (SECRET_LIKE.matcher(key.toLowerCase(Locale.ROOT)).matches()) {
                    context.buildConstraintViolationWithTemplate("looks like a secret: put it where the executor can"
                            + " read it and name it in credentialsRef instead").addPropertyNode(key)
                            .addConstraintViolation();
                    valid = false;
                }
            }
            return valid;
        }
    }
}
