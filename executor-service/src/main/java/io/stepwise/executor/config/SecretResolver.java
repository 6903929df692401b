package io.stepwise.executor.config;

import io.quarkus.logging.Log;
import io.stepwise.executor.handler.StepFailedException;
import io.stepwise.model.ClusterConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.Config;

/**
 * The executor's secret store. A cluster's {@code credentialsRef} is only ever {@code secret:<name>}: the value of
 * {@code stepwise.executor.secrets."<name>".value} (configuration or environment), else the file {@code <name>} in
 * {@code stepwise.executor.secrets-directory}, and only for a cluster the secret is bound to ({@code .clusters}: id
 * patterns; {@code .selector}: a label selector; both must hold when both are set). Never an arbitrary environment
 * variable or configuration key: whoever registers clusters must not be able to name the executor's own secrets.
 * Secrets are never logged or put in messages; references are. Every value ever resolved is remembered, so that
 * {@link Redactor} can take it out of whatever a cluster or a command echoes back.
 */
@ApplicationScoped
public class SecretResolver {

    public static final String PREFIX = "secret:";
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final String KEYS = "stepwise.executor.secrets.";
    /** A secret file is a key or a token, not a payload: anything larger is refused rather than read. */
    private static final long MAX_FILE_BYTES = 64 * 1024;

    private final Config config;
    private final Optional<Path> directory;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    @Inject
    public SecretResolver(Config config, ExecutorConfig executor) {
        this(config, executor.secretsDirectory().filter(d -> !d.isBlank()).map(Path::of));
    }

    SecretResolver(Config config, Optional<Path> directory) {
        this.config = config;
        this.directory = directory;
        rememberConfigured();
    }

    /**
     * The secret a step's cluster names, or empty when it names none (an unauthenticated cluster). Fails, naming the
     * reference and what to configure, when the reference is not {@code secret:<name>}, the secret is not bound to
     * this cluster, or it resolves to nothing; always before anything is sent.
     */
    public Optional<String> resolve(String clusterId, ClusterConnection cluster) {
        String reference = cluster == null ? null : cluster.credentialsRef();
        if (reference == null || reference.isBlank()) {
            return Optional.empty();
        }
        String ref = reference.trim();
        String name = name(ref);
        checkBinding(name, ref, clusterId, cluster.labels());
        String value = configured(name).or(() -> fromFile(name, ref)).filter(v -> !v.isBlank())
                .orElseThrow(() -> new StepFailedException("the credentials reference '" + ref + "' of cluster "
                        + clusterId + " resolves to nothing: set " + valueKey(name) + directory.map(d -> " or write the"
                        + " file " + d.resolve(name)).orElse("") + " on the executor; nothing was sent"));
        known.add(value);
        return Optional.of(value);
    }

    /** Every secret value this executor holds or has resolved (for redaction; never shown). */
    public Set<String> knownValues() {
        return known;
    }

    private static String name(String ref) {
        if (ref.startsWith("env:") || ref.startsWith("config:")) {
            throw new StepFailedException("the credentials reference '" + ref + "' names the executor's own environment"
                    + " or configuration, which a cluster may never read: a credentialsRef is secret:<name>, a secret of"
                    + " the executor's secret store (stepwise.executor.secrets); nothing was sent");
        }
        String name = ref.startsWith(PREFIX) ? ref.substring(PREFIX.length()) : null;
        if (name == null || !NAME.matcher(name).matches()) {
            throw new StepFailedException("the credentials reference '" + ref + "' is not secret:<name> (a name of"
                    + " lower-case letters, digits, '.', '_' and '-', up to 63 characters); nothing was sent");
        }
        return name;
    }

    private void checkBinding(String name, String ref, String clusterId, Map<String, String> labels) {
        Optional<List<String>> clusters = config.getOptionalValues(key(name, "clusters"), String.class)
                .or(() -> unquoted(name).flatMap(k -> config.getOptionalValues(k + ".clusters", String.class)));
        Optional<String> selector = setting(name, "selector");
        if (clusters.isEmpty() && selector.isEmpty()) {
            // Unbound, a secret would serve whichever cluster names it, endpoint and all.
            throw new StepFailedException("the secret named by '" + ref + "' is bound to no cluster: set "
                    + key(name, "clusters") + " (cluster id patterns) or " + key(name, "selector")
                    + " (a label selector) on the executor; nothing was sent");
        }
        if (clusters.isPresent() && clusters.get().stream().map(String::trim).noneMatch(p -> glob(p, clusterId))) {
            throw new StepFailedException("cluster " + clusterId + " may not use the secret named by '" + ref + "': its"
                    + " id matches none of " + key(name, "clusters") + " " + clusters.get() + "; nothing was sent");
        }
        if (selector.isPresent()) {
            LabelSelector parsed;
            try {
                parsed = LabelSelector.parse(selector.get());
            } catch (IllegalArgumentException e) {
                throw new StepFailedException(key(name, "selector") + " is not a valid label selector ("
                        + e.getMessage() + "); nothing was sent");
            }
            if (!parsed.matches(labels)) {
                throw new StepFailedException("cluster " + clusterId + " may not use the secret named by '" + ref
                        + "': its labels " + new java.util.TreeMap<>(labels) + " do not match " + key(name, "selector")
                        + " '" + selector.get() + "'; nothing was sent");
            }
        }
    }

    /** {@code *} matches any run of characters; everything else is literal. */
    static boolean glob(String pattern, String text) {
        if (pattern.isEmpty() || text == null) {
            return false;
        }
        String regex = Stream.of(pattern.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*"));
        return Pattern.matches(regex, text);
    }

    private Optional<String> configured(String name) {
        return setting(name, "value");
    }

    private Optional<String> setting(String name, String what) {
        return config.getOptionalValue(key(name, what), String.class)
                .or(() -> unquoted(name).flatMap(k -> config.getOptionalValue(k + "." + what, String.class)))
                .filter(v -> !v.isBlank());
    }

    /** A name without dots may also be written unquoted ({@code stepwise.executor.secrets.prod-eu-1.value}). */
    private static Optional<String> unquoted(String name) {
        return name.contains(".") ? Optional.empty() : Optional.of(KEYS + name);
    }

    private Optional<String> fromFile(String name, String ref) {
        if (directory.isEmpty()) {
            return Optional.empty();
        }
        Path file = directory.get().resolve(name);
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            // A mounted Secret's files are links into its own ..data directory; nothing may lead outside it.
            Path real = file.toRealPath();
            if (!real.startsWith(directory.get().toRealPath())) {
                throw new StepFailedException("the secret file of '" + ref + "' leads outside "
                        + "stepwise.executor.secrets-directory; nothing was sent");
            }
            if (Files.size(real) > MAX_FILE_BYTES) {
                throw new StepFailedException("the secret file of '" + ref + "' is larger than " + MAX_FILE_BYTES
                        + " bytes; nothing was sent");
            }
            return Optional.of(Files.readString(real, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new StepFailedException("the secret file of '" + ref + "' cannot be read (" + e.getClass().getSimpleName()
                    + "); nothing was sent");
        }
    }

    /** Remembers the values configured and the files present at start-up, so they are redacted before first use. */
    private void rememberConfigured() {
        for (String property : config.getPropertyNames()) {
            if (property.startsWith(KEYS) && property.endsWith(".value")) {
                config.getOptionalValue(property, String.class).filter(v -> !v.isBlank()).ifPresent(known::add);
            }
        }
        System.getenv().forEach((variable, value) -> {
            if (variable.startsWith("STEPWISE_EXECUTOR_SECRETS_") && variable.endsWith("_VALUE") && !value.isBlank()) {
                known.add(value);
            }
        });
        directory.ifPresent(d -> {
            try (Stream<Path> files = Files.list(d)) {
                files.filter(f -> NAME.matcher(f.getFileName().toString()).matches()).forEach(f -> {
                    try {
                        if (Files.isRegularFile(f) && Files.size(f) <= MAX_FILE_BYTES) {
                            String value = Files.readString(f, StandardCharsets.UTF_8).strip();
                            if (!value.isBlank()) {
                                known.add(value);
                            }
                        }
                    } catch (IOException e) {
                        Log.warnf("Cannot read secret file %s (%s)", f.getFileName(), e.getClass().getSimpleName());
                    }
                });
            } catch (IOException e) {
                Log.warnf("Cannot list stepwise.executor.secrets-directory %s (%s)", d, e.getClass().getSimpleName());
            }
        });
    }

    private static String key(String name, String what) {
        return KEYS + "\"" + name + "\"." + what;
    }

    private static String valueKey(String name) {
        return key(name, "value");
    }
}
