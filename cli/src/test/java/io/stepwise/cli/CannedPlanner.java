package io.stepwise.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A stand-in planner on a free local port: answers each "METHOD /path" with what a test set, copied from the real
 * API's shapes, and records every request.
 */
final class CannedPlanner implements AutoCloseable {

    /** A request as it arrived; {@code authorization} is null when none was sent. */
    record Request(String method, String path, String query, String authorization, String idempotencyKey,
                   String body) {
    }

    /** Writes the answer to one request. */
    interface Answer {
        void write(HttpExchange exchange) throws IOException;
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final HttpServer server;

    CannedPlanner() {
        try {
            server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "canned-planner");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            requests.add(new Request(method, path, exchange.getRequestURI().getQuery(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Idempotency-Key"), body));
            Answer answer = answers.get(method + " " + path);
            if (answer == null) {
                answer = json(404, "application/problem+json", """
                        {"type": "https://stepwise.io/problems/not-found", "title": "Not Found", "status": 404,
                         "detail": "no resource at this path: see /q/openapi for the API"}""");
            }
            // an answer that throws leaves the exchange open: the server drops the connection mid-answer
            answer.write(exchange);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    CannedPlanner on(String methodAndPath, Answer answer) {
        answers.put(methodAndPath, answer);
        return this;
    }

    CannedPlanner on(String methodAndPath, int status, String json) {
        return on(methodAndPath, json(status, status >= 400 ? "application/problem+json" : "application/json", json));
    }

    static Answer json(int status, String type, String body) {
        return exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", type);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        };
    }

    /** A watch stream sending these events (one JSON document each) as the planner does: {@code data:} lines. */
    static Answer events(String... events) {
        return events(false, events);
    }

    /** ... and, with {@code breakOff}, dropping the connection after them instead of ending the stream cleanly. */
    static Answer events(boolean breakOff, String... events) {
        return exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (String event : events) {
                out.write(("data:" + event.replace("\n", " ") + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            if (breakOff) {
                // the chunked stream is cut before its last chunk: the client sees the connection break
                throw new IOException("connection dropped on purpose");
            }
            out.close();
        };
    }

    /** The requests to this method and path. */
    List<Request> requests(String methodAndPath) {
        return requests.stream().filter(r -> (r.method() + " " + r.path()).equals(methodAndPath)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
