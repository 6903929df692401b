package io.stepwise.executor.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An attacker's listener: a plain JDK HTTP server on a loopback address that records every request it receives
 * (method, path, headers) and answers as told. A test shows with it what the executor sent, or that it sent nothing.
 */
public final class Listener implements AutoCloseable {

    /** What the listener received. */
    public record Received(String method, String path, Map<String, List<String>> headers) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
        }
    }

    /** An answer: status, headers, body. */
    public record Answer(int status, Map<String, String> headers, String body) {
        public static Answer of(int status, String body) {
            return new Answer(status, Map.of("Content-Type", "application/json"), body);
        }
    }

    private final HttpServer server;
    private final String host;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private Listener(String host, Function<Received, Answer> answer) {
        this.host = host;
        try {
            server = HttpServer.create(new InetSocketAddress(host, 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> handle(exchange, answer));
        server.start();
    }

    /** A listener on {@code host} (a loopback address) answering every request with {@code answer}. */
    public static Listener on(String host, Function<Received, Answer> answer) {
        return new Listener(host, answer);
    }

    /** A listener on 127.0.0.1 answering 200 {}. */
    public static Listener recording() {
        return on("127.0.0.1", r -> Answer.of(200, "{}"));
    }

    private void handle(HttpExchange exchange, Function<Received, Answer> answer) throws IOException {
        Received request = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                Map.copyOf(exchange.getRequestHeaders()));
        received.add(request);
        exchange.getRequestBody().readAllBytes();
        Answer a = answer.apply(request);
        a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        byte[] body = a.body() == null ? new byte[0] : a.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }

    /** {@code http://host:port} of this listener. */
    public String url() {
        return "http://" + host + ":" + server.getAddress().getPort();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
