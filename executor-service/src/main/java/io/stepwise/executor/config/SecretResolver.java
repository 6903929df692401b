package io.stepwise.executor.config;

import io.stepwise.executor.handler.StepFailedException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Turns a cluster's {@code credentialsRef} (a configuration key or environment variable name, optionally prefixed
 * {@code env:} or {@code config:}) into its secret. Secrets are never logged or put in messages; references are.
 */
@ApplicationScoped
public class SecretResolver {

    private final Config config;

    public SecretResolver(Config config) {
        this.config = config;
    }

    /** Empty without a reference (an unauthenticated cluster); fails when a reference resolves to nothing. */
    public Optional<String> resolve(String reference) {
        if (reference == null || reference.isBlank()) {
            return Optional.empty();
        }
        String ref = reference.trim();
        Optional<String> value;
        if (ref.startsWith("env:")) {
            value = Optional.ofNullable(System.getenv(ref.substring(4)));
        } else if (ref.startsWith("config:")) {
            value = config.getOptionalValue(ref.substring(7), String.class);
        } else {
            // MicroProfile Config also sees environment variables, so a bare name covers both.
            value = config.getOptionalValue(ref, String.class).or(() -> Optional.ofNullable(System.getenv(ref)));
        }
        return Optional.of(value.filter(v -> !v.isBlank()).orElseThrow(() -> new StepFailedException(
                "the credentials reference '" + ref + "' resolves to nothing (no environment variable or configuration "
                        + "key of that name is set on the executor); nothing was done")));
    }
}
