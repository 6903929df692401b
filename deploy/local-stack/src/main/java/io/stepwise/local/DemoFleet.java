package io.stepwise.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.simulator.ClusterInfo;
import io.stepwise.simulator.ClusterSpec;
import io.stepwise.simulator.FleetSimulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fleet to try Stepwise on: 50 Weaviate clusters (Kubernetes and Docker, 1 to 5 nodes, 1.22 to 1.30) and 10
 * Pachyderm clusters (1.x and 2.x), created in the simulator and registered in the planner's inventory. The
 * simulator keeps no state between runs, so each start re-creates the clusters at the versions the inventory
 * remembers: an upgrade done in a previous run stays done.
 */
final class DemoFleet {

    private static final String[] WEAVIATE = {"1.22.5", "1.23.10", "1.24.10", "1.25.3", "1.26.5", "1.27.27", "1.28.16",
        "1.29.11", "1.30.5"};
    private static final String[] PACHYDERM = {"1.9.3", "1.11.2", "1.12.1", "2.8.2", "2.9.3"};
    private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FleetSimulator simulator;
    private final String planner;
    /** An admin's token, or null when the API takes none. */
    private final String token;
    private final HttpClient http = HttpClient.newHttpClient();

    DemoFleet(FleetSimulator simulator, String planner, String token) {
        this.simulator = simulator;
        this.planner = planner;
        this.token = token;
    }

    int create() throws IOException, InterruptedException {
        int count = 0;
        for (int i = 0; i < 50; i++) {
            String id = "demo-w-" + i;
            int nodes = i % 7 == 0 ? 1 : i % 5 == 0 ? 5 : 3;
            String deployment = i % 10 == 9 ? "docker" : "kubernetes";
            ClusterSpec spec = ClusterSpec.weaviate(id, remembered(id, WEAVIATE[i % WEAVIATE.length]), nodes, deployment)
                    .withCollections(Map.of("Article", 1000L + 10L * i, "Author", 50L + i));
            register(simulator.createCluster(spec), i % 2 == 0 ? "eu" : "us");
            count++;
        }
        for (int i = 0; i < 10; i++) {
            String id = "demo-p-" + i;
            register(simulator.createCluster(ClusterSpec.pachyderm(id, remembered(id, PACHYDERM[i % PACHYDERM.length]))),
                    i % 2 == 0 ? "eu" : "us");
            count++;
        }
        return count;
    }

    /** The version the inventory holds for this cluster (it was upgraded in an earlier run), else the default. */
    private String remembered(String id, String fallback) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(authorized(HttpRequest.newBuilder(URI.create(planner + "/api/v1/clusters/"
                + id))).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            return fallback;
        }
        Matcher m = VERSION.matcher(r.body());
        return m.find() ? m.group(1) : fallback;
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    private void register(ClusterInfo c, String region) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(simulator.registration(c, Map.of("fleet", "demo", "region", region)));
        HttpResponse<String> r = http.send(authorized(HttpRequest.newBuilder(URI.create(planner + "/api/v1/clusters")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201 && r.statusCode() != 409) {
            throw new IOException("registering " + c.id() + " failed: " + r.statusCode() + " " + r.body());
        }
    }
}
