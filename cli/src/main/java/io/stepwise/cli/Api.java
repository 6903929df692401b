package io.stepwise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * The planner's REST API over {@link HttpClient}: JSON in, JSON out, every refusal turned into a
 * {@link CliException} carrying the problem document's title, detail and field errors.
 */
final class Api {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Above what the largest call takes (a batch of 10,000 clusters: 2–4 s). */
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

    private final Settings settings;
    private final HttpClient http;
    private final Consumer<String> verbose;

    Api(Settings settings, Consumer<String> verbose) {
        this.settings = settings;
        this.verbose = verbose;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .build();
    }

    Settings settings() {
        return settings;
    }

    JsonNode get(String path) {
        return send("GET", path, null, Map.of());
    }

    JsonNode post(String path, JsonNode body) {
        return send("POST", path, body, Map.of());
    }

    JsonNode put(String path, JsonNode body) {
        return send("PUT", path, body, Map.of());
    }

    JsonNode delete(String path) {
        return send("DELETE", path, null, Map.of());
    }

    JsonNode post(String path, JsonNode body, Map<String, String> headers) {
        return send("POST", path, body, headers);
    }

    /**
     * Opens a Server-Sent Events stream; the caller reads and closes it. A refusal (4xx) throws as any call does; a
     * failure of the server or the connection throws {@link CliException} with {@link Exit#UNAVAILABLE}.
     */
    InputStream stream(String path) {
        HttpRequest request = request(path).header("Accept", "text/event-stream").GET().build();
        long started = System.nanoTime();
        HttpResponse<InputStream> response = exchange(request, HttpResponse.BodyHandlers.ofInputStream());
        say("GET", path, response.statusCode(), started);
        if (response.statusCode() != 200) {
            String body;
            try (InputStream in = response.body()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                body = "";
            }
            throw refusal(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), body);
        }
        return response.body();
    }

    private JsonNode send(String method, String path, JsonNode body, Map<String, String> headers) {
        HttpRequest.Builder builder = request(path).header("Accept", "application/json")
                .header("Accept-Encoding", "gzip").timeout(REQUEST_TIMEOUT);
        headers.forEach(builder::header);
        if (body != null) {
            builder.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        } else {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        long started = System.nanoTime();
        HttpResponse<InputStream> response = exchange(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
        String text;
        try (InputStream raw = response.body();
             InputStream in = response.headers().firstValue("Content-Encoding").orElse("").equalsIgnoreCase("gzip")
                     ? new GZIPInputStream(raw) : raw) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CliException.unavailable("the answer of the planner at " + settings.server() + " broke off: "
                    + describe(e));
        }
        say(method, path, response.statusCode(), started);
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (response.statusCode() >= 400) {
            throw refusal(response.statusCode(), type, text);
        }
        if (text.isBlank()) {
            return Json.object();
        }
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw CliException.unavailable("the server at " + settings.server() + " answered " + method + " " + path
                    + " with something that is not JSON (" + (type.isEmpty() ? "no content type" : type)
                    + "): is it a Stepwise planner?");
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(settings.server() + path))
                .header("User-Agent", "stepwise-cli");
        if (settings.token() != null) {
            builder.header("Authorization", "Bearer " + settings.token());
        }
        return builder;
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            String hint = Settings.isLocal(settings.server()) ? " (is it running? ./stepwise up starts the local stack)"
                    : "";
            throw CliException.unavailable("cannot reach the planner at " + settings.server() + ": " + describe(e)
                    + hint);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.unavailable("interrupted");
        }
    }

    /** What a refusal says: one line for a missing token, else the status and title, the detail, each bad field. */
    CliException refusal(int status, String contentType, String body) {
        int code = status >= 500 ? Exit.UNAVAILABLE : Exit.REFUSED;
        if (status == 401 && settings.token() == null) {
            return new CliException(code, "no token: the planner at " + settings.server() + " needs one (401)."
                    + " Give it with --token-file FILE, STEPWISE_TOKEN, or token-file in " + settings.configFile()
                    + (Settings.isLocal(settings.server())
                    ? "; ./stepwise up writes the local stack's to .stepwise/tokens/" : ""));
        }
        JsonNode problem = null;
        if (contentType.contains("json")) {
            try {
                problem = Json.MAPPER.readTree(body);
            } catch (IOException e) {
                problem = null;
            }
        }
        List<String> lines = new ArrayList<>();
        if (problem == null || !problem.isObject()) {
            lines.add(status + " from the planner at " + settings.server()
                    + (body.isBlank() ? "" : ": " + oneLine(body, 200)));
            return new CliException(code, lines);
        }
        String title = Json.text(problem, "title");
        lines.add(status + (title.isEmpty() ? "" : " " + title));
        String detail = Json.text(problem, "detail");
        if (!detail.isEmpty()) {
            lines.add(detail);
        }
        for (JsonNode error : problem.path("errors")) {
            String line = Json.text(error, "field") + ": " + Json.text(error, "message");
            if (!line.equals(detail)) {
                lines.add("  " + line);
            }
        }
        for (JsonNode busy : problem.path("busyClusters")) {
            lines.add("  " + Json.text(busy, "clusterId") + " is held by rollout " + Json.text(busy, "rolloutId"));
        }
        return new CliException(code, lines);
    }

    private void say(String method, String path, int status, long startedNanos) {
        if (verbose != null) {
            verbose.accept(method + " " + settings.server() + path + " -> " + status + " ("
                    + (System.nanoTime() - startedNanos) / 1_000_000 + " ms)");
        }
    }

    private static String describe(IOException e) {
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof HttpConnectTimeoutException) {
            return "no answer within " + CONNECT_TIMEOUT.toSeconds() + " s";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + REQUEST_TIMEOUT.toMinutes() + " minutes";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String oneLine(String text, int max) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() <= max ? line : line.substring(0, max) + "…";
    }
}
