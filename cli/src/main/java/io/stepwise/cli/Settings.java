package io.stepwise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which planner to call and with which token, and where each came from (for {@code --verbose}; the token itself
 * is never shown).
 *
 * <p>The server: {@code --server}, else {@code STEPWISE_URL}, else the config file's {@code server}, else
 * {@code http://localhost:8080}. The token: {@code --token} or {@code --token-file}, else {@code STEPWISE_TOKEN},
 * else the config file's {@code token} or {@code token-file} (only for the config file's own server, so that a
 * {@code --server} elsewhere does not carry it away), else, for a planner on this machine, the token the local
 * stack wrote for the least role the command needs ({@code <home>/.stepwise/tokens/<role>}).
 */
record Settings(URI server, String serverSource, String token, String tokenSource, Path configFile) {

    static final String DEFAULT_SERVER = "http://localhost:8080";
    /** RFC 6750's b64token: what may follow "Bearer " in a header. */
    private static final Pattern BEARER = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    /** What the command line said; any of it may be null. */
    record Flags(String server, String token, Path tokenFile, Path home) {
    }

    static Settings resolve(Flags flags, Map<String, String> env, Path userHome, Role role) {
        Path configFile = configFile(env, userHome);
        Config config = null;
        String serverText;
        String serverSource;
        if (flags.server() != null) {
            serverText = flags.server();
            serverSource = "--server";
        } else if (present(env.get("STEPWISE_URL"))) {
            serverText = env.get("STEPWISE_URL");
            serverSource = "STEPWISE_URL";
        } else if ((config = Config.read(configFile)).server() != null) {
            serverText = config.server();
            serverSource = configFile.toString();
        } else {
            serverText = DEFAULT_SERVER;
            serverSource = "the default";
        }
        URI server = parseServer(serverText, serverSource);

        if (flags.token() != null) {
            return new Settings(server, serverSource, checked(flags.token(), "--token"), "--token", configFile);
        }
        if (flags.tokenFile() != null) {
            String source = "--token-file " + flags.tokenFile();
            return new Settings(server, serverSource, checked(readToken(flags.tokenFile(), source), source), source,
                    configFile);
        }
        if (present(env.get("STEPWISE_TOKEN"))) {
            return new Settings(server, serverSource, checked(env.get("STEPWISE_TOKEN"), "STEPWISE_TOKEN"),
                    "STEPWISE_TOKEN", configFile);
        }
        if (config == null) {
            config = Config.read(configFile);
        }
        if (config.hasToken()) {
            if (config.server() == null || parseServer(config.server(), configFile.toString()).equals(server)) {
                String source = config.token() != null ? "token in " + configFile
                        : "token-file " + config.tokenFile() + " (from " + configFile + ")";
                String token = config.token() != null ? config.token() : readToken(config.tokenFile(), source);
                return new Settings(server, serverSource, checked(token, source), source, configFile);
            }
        }
        if (isLocal(server) && flags.home() != null) {
            Path file = flags.home().resolve(".stepwise/tokens").resolve(role.file());
            if (Files.isReadable(file)) {
                String source = "the local stack's " + role.file() + " token (" + file + ")";
                return new Settings(server, serverSource, checked(readToken(file, source), source), source,
                        configFile);
            }
        }
        String none = config.hasToken() ? "none (the token in " + configFile + " is for " + config.server() + ")"
                : "none";
        return new Settings(server, serverSource, null, none, configFile);
    }

    /** {@code $STEPWISE_CONFIG}, else {@code $XDG_CONFIG_HOME/stepwise/config.yaml}, else {@code ~/.config/...}. */
    static Path configFile(Map<String, String> env, Path userHome) {
        if (present(env.get("STEPWISE_CONFIG"))) {
            return Path.of(env.get("STEPWISE_CONFIG"));
        }
        Path base = present(env.get("XDG_CONFIG_HOME")) ? Path.of(env.get("XDG_CONFIG_HOME"))
                : userHome.resolve(".config");
        return base.resolve("stepwise/config.yaml");
    }

    /** The planner runs on this machine: the local stack's tokens may be used for it. */
    static boolean isLocal(URI server) {
        String host = server.getHost();
        if (host == null) {
            return false;
        }
        if (LOOPBACK_NAMES.contains(host)) {
            return true;
        }
        try {
            return host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+]?") && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static URI parseServer(String text, String source) {
        String trimmed = text.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        try {
            URI uri = new URI(trimmed);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getQuery() == null && uri.getFragment() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // said below
        }
        throw CliException.usage("the server '" + text + "' (from " + source + ") is not an http:// or https:// URL,"
                + " e.g. https://stepwise.example or http://localhost:8080");
    }

    private static String readToken(Path file, String source) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw CliException.usage("cannot read the token (" + source + "): " + e.getMessage());
        }
    }

    private static String checked(String token, String source) {
        String trimmed = token.trim();
        if (!BEARER.matcher(trimmed).matches()) {
            throw CliException.usage("the token from " + source + " is not a bearer token (it is empty or holds"
                    + " spaces, line breaks or other characters a token cannot have)");
        }
        return trimmed;
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    /** The config file's settings: {@code server}, {@code token}, {@code token-file}; all optional. */
    record Config(String server, String token, Path tokenFile) {

        boolean hasToken() {
            return token != null || tokenFile != null;
        }

        static Config read(Path file) {
            if (!Files.isRegularFile(file)) {
                return new Config(null, null, null);
            }
            JsonNode root;
            try {
                root = Json.yaml().readTree(file.toFile());
            } catch (IOException e) {
                throw CliException.usage("cannot read the config file " + file + ": " + firstLine(e.getMessage()));
            }
            if (root == null || root.isMissingNode() || root.isNull()) {
                return new Config(null, null, null);
            }
            if (!root.isObject()) {
                throw CliException.usage("the config file " + file + " must be a map of server, token, token-file");
            }
            for (var names = root.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!Set.of("server", "token", "token-file").contains(name)) {
                    throw CliException.usage("the config file " + file + " has '" + name + "'; it may hold server,"
                            + " token and token-file");
                }
            }
            String tokenFile = Json.text(root, "token-file");
            Path tokenPath = tokenFile.isEmpty() ? null : file.toAbsolutePath().getParent().resolve(
                    tokenFile.startsWith("~/") ? System.getProperty("user.home") + tokenFile.substring(1) : tokenFile);
            return new Config(emptyToNull(Json.text(root, "server")), emptyToNull(Json.text(root, "token")), tokenPath);
        }

        private static String emptyToNull(String s) {
            return s.isEmpty() ? null : s;
        }

        private static String firstLine(String message) {
            return message == null ? "" : message.lines().findFirst().orElse("");
        }
    }
}
