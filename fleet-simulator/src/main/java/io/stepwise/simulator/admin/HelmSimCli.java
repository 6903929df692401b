package io.stepwise.simulator.admin;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

/**
 * A {@code helm} stand-in for command-template deployments: {@code helm-sim upgrade [--install]
 * RELEASE CHART [-n NS] --set image.tag=VERSION} sets the image tag of the release on the simulator
 * (which re-creates a deleted StatefulSet, as helm does). Other flags ({@code --reuse-values},
 * {@code -f}, {@code --version}, {@code --wait}, ...) are accepted and ignored. JDK classes only.
 *
 * <p>Environment: {@code STEPWISE_SIMULATOR_URL} (required), {@code STEPWISE_CLUSTER_ID} (defaults to
 * the release name), {@code STEPWISE_STEP_ID}.
 */
public final class HelmSimCli {

    private HelmSimCli() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.getenv(), System.out, System.err));
    }

    static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.isEmpty() || !(args.get(0).equals("upgrade") || args.get(0).equals("install"))) {
            err.println("Error: helm-sim only simulates \"helm upgrade [--install] RELEASE CHART --set image.tag=X\"");
            return 1;
        }
        List<String> positional = new java.util.ArrayList<>();
        String tag = null;
        String namespace = "default";
        for (int i = 1; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--set") || a.equals("--set-string")) {
                String assignment = i + 1 < args.size() ? args.get(++i) : "";
                for (String part : assignment.split(",")) {
                    String[] kv = part.split("=", 2);
                    if (kv.length == 2 && (kv[0].equals("image.tag") || kv[0].equals("pachd.image.tag"))) {
                        tag = kv[1];
                    }
                }
            } else if (a.equals("-n") || a.equals("--namespace")) {
                namespace = i + 1 < args.size() ? args.get(++i) : namespace;
            } else if (a.equals("-f") || a.equals("--values") || a.equals("--version") || a.equals("--timeout")) {
                i++; // flag with a value we do not need
            } else if (!a.startsWith("-")) {
                positional.add(a);
            }
        }
        if (positional.size() < 2) {
            err.println("Error: \"helm upgrade\" requires 2 arguments\n\nUsage:  helm upgrade [RELEASE] [CHART] [flags]");
            return 1;
        }
        if (tag == null) {
            err.println("Error: UPGRADE FAILED: helm-sim needs --set image.tag=<version>");
            return 1;
        }
        String release = positional.get(0);
        String simulator = env.get("STEPWISE_SIMULATOR_URL");
        if (simulator == null) {
            err.println("Error: set STEPWISE_SIMULATOR_URL to the fleet simulator's base URL");
            return 1;
        }
        String cluster = env.getOrDefault("STEPWISE_CLUSTER_ID", release);
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(simulator.replaceAll("/+$", "") + "/admin/clusters/" + cluster + "/version"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"version\":\"" + tag + "\"}"));
        String stepId = env.get("STEPWISE_STEP_ID");
        if (stepId != null && !stepId.isBlank()) {
            request.header("X-Stepwise-Step-Id", stepId);
        }
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                err.println("Error: UPGRADE FAILED: " + response.body());
                return 1;
            }
        } catch (IOException e) {
            err.println("Error: UPGRADE FAILED: Kubernetes cluster unreachable: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        out.println("Release \"" + release + "\" has been upgraded. Happy Helming!");
        out.println("NAME: " + release);
        out.println("LAST DEPLOYED: " + ZonedDateTime.now());
        out.println("NAMESPACE: " + namespace);
        out.println("STATUS: deployed");
        return 0;
    }
}
