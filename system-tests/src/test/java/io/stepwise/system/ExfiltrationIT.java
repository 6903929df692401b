package io.stepwise.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.stepwise.simulator.SimulatorSettings;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 26's exfiltration, tried through both packaged services as an attacker with the operator role would: a
 * cluster whose endpoint is a listener of the attacker's and whose credentials are the executor's database password
 * ({@code config:}) or one of its environment variables ({@code env:}) is refused at registration; one naming a secret
 * of the executor's store that is not bound to it is registered (the planner cannot know the bindings), but the first
 * step of its rollout fails in the executor, naming the reference. The listener hears nothing throughout.
 */
class ExfiltrationIT {

    private static Stack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack("exfiltration", SimulatorSettings.defaults()).start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        stack.close();
    }

    @Test
    void theExecutorsSecretsNeverReachAListenerOfTheAttackers() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer listener = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        listener.createContext("/", exchange -> {
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        listener.start();
        try {
            // 127.0.0.1 is where the simulated fleet is, so the executor here may call it over plain http
            String endpoint = "http://127.0.0.1:" + listener.getAddress().getPort();
            for (String reference : List.of("config:quarkus.datasource.password", "env:STEPWISE_DB_PASSWORD")) {
                HttpResponse<String> refused = stack.post("/api/v1/clusters", registration("exfil-ref", endpoint,
                        reference));
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
                assertThat(refused.body()).contains("credentialsRef");
            }

            HttpResponse<String> registered = stack.post("/api/v1/clusters", registration("exfil-unbound", endpoint,
                    "secret:weaviate-prod-eu-1"));
            assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
            String id = stack.startRollout(Map.of("product", "weaviate", "targetVersion", "1.30",
                    "clusterIds", List.of("exfil-unbound"), "probe", false));
            JsonNode rollout = stack.awaitFinished(id, Duration.ofMinutes(2));

            assertThat(rollout.get("state").asText()).as(rollout.toString()).isEqualTo("FAILED");
            assertThat(rollout.toString()).contains("secret:weaviate-prod-eu-1").contains("nothing was sent");
            assertThat(received).as("requests the attacker's listener received").isEmpty();
        } finally {
            listener.stop(0);
        }
    }

    private static Map<String, Object> registration(String id, String endpoint, String credentialsRef) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("product", "weaviate");
        body.put("version", "1.29.11");
        body.put("nodes", 1);
        body.put("deployment", "docker");
        body.put("endpoint", endpoint);
        body.put("credentialsRef", credentialsRef);
        return body;
    }
}
