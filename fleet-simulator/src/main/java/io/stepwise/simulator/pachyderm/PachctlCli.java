package io.stepwise.simulator.pachyderm;

import io.stepwise.simulator.core.Version;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code pachctl} stand-in that talks to a simulated pachd. JDK classes only, so
 * {@code bin/pachctl} runs it from {@code target/classes} without a classpath to assemble.
 *
 * <p>Environment: {@code PACHD_ADDRESS} (the cluster endpoint {@code {simulator}/clusters/{id}}) or
 * {@code STEPWISE_SIMULATOR_URL} + {@code STEPWISE_CLUSTER_ID}; {@code PACHCTL_VERSION} pretends a
 * given client binary is installed (else the version the last deploy installed);
 * {@code STEPWISE_STEP_ID} is recorded with every effect.
 */
public final class PachctlCli {

    private final Map<String, String> env;
    private final InputStream stdin;
    private final PrintStream out;
    private final PrintStream err;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    PachctlCli(Map<String, String> env, InputStream stdin, PrintStream out, PrintStream err) {
        this.env = env;
        this.stdin = stdin;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        int code = new PachctlCli(System.getenv(), System.in, System.out, System.err).run(List.of(args));
        System.out.flush();
        System.exit(code);
    }

    int run(List<String> args) {
        if (args.isEmpty() || args.contains("--help") || args.contains("-h")) {
            out.println("Access the Pachyderm API (fleet simulator).\n\nUsage:\n  pachctl [command]\n\n"
                    + "Available Commands:\n  deploy      Deploy a Pachyderm cluster.\n"
                    + "  extract     Extract Pachyderm state to stdout or an object store bucket.\n"
                    + "  list        List repos.\n  restore     Restore Pachyderm state from stdin or an object store.\n"
                    + "  undeploy    Tear down a deployed Pachyderm cluster.\n  version     Print Pachyderm version information.");
            return 0;
        }
        try {
            String command = args.get(0);
            List<String> rest = args.subList(1, args.size());
            return switch (command) {
                case "version" -> version(rest);
                case "extract" -> extract(rest);
                case "restore" -> restore(rest);
                case "undeploy" -> undeploy(rest);
                case "deploy" -> deploy(rest);
                case "list" -> list(rest);
                default -> unknownCommand(command);
            };
        } catch (CliError e) {
            err.println(e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("error connecting to pachd server at address (" + address() + "): " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    // ---------------------------------------------------------------- commands

    private int version(List<String> args) throws IOException, InterruptedException {
        boolean clientOnly = args.contains("--client-only");
        boolean raw = args.contains("--raw");
        boolean compare = args.contains("--compare");
        Map<String, String> state = state();
        String client = clientVersion(state);
        String server = "true".equals(state.get("deployed")) ? state.get("serverVersion") : null;
        if (raw) {
            out.println(versionJson(client));
            if (!clientOnly) {
                if (server == null) {
                    return pachdUnreachable();
                }
                out.println(versionJson(server));
            }
        } else {
            out.printf("%-20s%s%n", "COMPONENT", "VERSION");
            out.printf("%-20s%s%n", "pachctl", client);
            if (!clientOnly) {
                if (server == null) {
                    return pachdUnreachable();
                }
                out.printf("%-20s%s%n", "pachd", server);
            }
        }
        if (compare && !clientOnly && !client.equals(server)) {
            err.println("pachctl version " + client + " does not match pachd version " + server);
            return 1;
        }
        return 0;
    }

    private int extract(List<String> args) throws IOException, InterruptedException {
        Map<String, String> state = state();
        if (!PachydermEras.hasExtract(parse(clientVersion(state)))) {
            return unknownCommand("extract");
        }
        String url = option(args, "-u", "--url");
        String query = "noObjects=" + args.contains("--no-objects") + (url == null ? "" : "&url=" + encode(url));
        HttpResponse<byte[]> response = send("POST", "/pachd/extract?" + query, new byte[0]);
        if (url == null) {
            out.write(response.body());
            out.flush();
        }
        return 0;
    }

    private int restore(List<String> args) throws IOException, InterruptedException {
        Map<String, String> state = state();
        if (!PachydermEras.hasExtract(parse(clientVersion(state)))) {
            return unknownCommand("restore");
        }
        String url = option(args, "-u", "--url");
        byte[] body = url == null ? stdin.readAllBytes() : new byte[0];
        send("POST", "/pachd/restore" + (url == null ? "" : "?url=" + encode(url)), body);
        return 0;
    }

    private int undeploy(List<String> args) throws IOException, InterruptedException {
        if (!PachydermEras.hasDeploy(parse(clientVersion(state())))) {
            return unknownCommand("undeploy"); // 2.x clusters are managed with helm
        }
        send("POST", "/pachd/undeploy?all=" + args.contains("--all"), new byte[0]);
        return 0;
    }

    /** {@code pachctl deploy <target> [...]}: deploys the client's version ({@code --version} overrides it). */
    private int deploy(List<String> args) throws IOException, InterruptedException {
        Map<String, String> state = state();
        String version = option(args, "--version", "--version");
        if (version == null) {
            version = clientVersion(state);
        }
        if (!PachydermEras.hasDeploy(parse(version))) {
            return unknownCommand("deploy");
        }
        List<String> targets = List.of("local", "google", "amazon", "microsoft", "custom");
        if (args.isEmpty() || !targets.contains(args.get(0))) {
            throw new CliError("Error: deploy needs a target, one of " + targets);
        }
        send("POST", "/pachd/deploy?version=" + encode(version), new byte[0]);
        out.println("Pachyderm is launching. Check its status with \"kubectl get all\"");
        return 0;
    }

    private int list(List<String> args) throws IOException, InterruptedException {
        if (args.size() == 2 && args.get(0).equals("commit")) {
            return listCommits(args.get(1));
        }
        if (args.isEmpty() || !args.get(0).equals("repo")) {
            throw new CliError("Error: only \"pachctl list repo\" and \"pachctl list commit <repo>\" are simulated");
        }
        String body = new String(send("GET", "/pachd/repos", null).body(), StandardCharsets.UTF_8);
        out.printf("%-20s%-20s%s%n", "NAME", "CREATED", "SIZE (MASTER)");
        Matcher m = Pattern.compile("\"([^\"]+)\":(\\d+)").matcher(body);
        while (m.find()) {
            out.printf("%-20s%-20s%s%n", m.group(1), "2 days ago", m.group(2) + " commits");
        }
        return 0;
    }

    /** One line per commit of the repo under 1.x's header, as many as the repo's count. */
    private int listCommits(String repo) throws IOException, InterruptedException {
        String body = new String(send("GET", "/pachd/repos", null).body(), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("\"" + Pattern.quote(repo) + "\":(\\d+)").matcher(body);
        if (!m.find()) {
            throw new CliError("repo " + repo + " not found");
        }
        out.printf("%-20s%-10s%-34s%-20s%s%n", "REPO", "BRANCH", "COMMIT", "STARTED", "SIZE");
        for (long i = 0; i < Long.parseLong(m.group(1)); i++) {
            out.printf("%-20s%-10s%-34s%-20s%s%n", repo, "master", String.format("%032x", i), "2 days ago", "1KiB");
        }
        return 0;
    }

    // ---------------------------------------------------------------- helpers

    private int unknownCommand(String command) {
        err.println("Error: unknown command \"" + command + "\" for \"pachctl\"");
        err.println("Run 'pachctl --help' for usage.");
        return 1;
    }

    private int pachdUnreachable() {
        err.println("pachd               (version unknown) : error connecting to pachd server at address ("
                + address() + "): context deadline exceeded\n\nplease make sure pachd is up (`kubectl get all`) "
                + "and portforwarding is enabled");
        return 1;
    }

    private Map<String, String> state() throws IOException, InterruptedException {
        String body = new String(send("GET", "/pachd/version", null).body(), StandardCharsets.UTF_8);
        Map<String, String> fields = new java.util.HashMap<>();
        Matcher m = Pattern.compile("\"(\\w+)\":\"?([^\",}]*)\"?").matcher(body);
        while (m.find()) {
            fields.put(m.group(1), m.group(2));
        }
        return fields;
    }

    private String clientVersion(Map<String, String> state) {
        String pinned = env.get("PACHCTL_VERSION");
        return pinned != null && !pinned.isBlank() ? pinned.replaceFirst("^v", "") : state.get("clientVersion");
    }

    private static String versionJson(String version) {
        Version v = parse(version);
        return "{\"major\":" + v.major() + ",\"minor\":" + v.minor() + ",\"micro\":" + v.patch()
                + ",\"git_commit\":\"" + String.format("%040x", Math.abs((long) version.hashCode()))
                + "\",\"build_date\":\"2024-12-13T00:00:00Z\",\"go_version\":\"go1.22.5\",\"platform\":\"amd64\"}";
    }

    private static Version parse(String version) {
        if (!Version.isValid(version)) {
            throw new CliError("Error: not a version: " + version);
        }
        return Version.parse(version);
    }

    private static String option(List<String> args, String shortName, String longName) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if ((a.equals(shortName) || a.equals(longName)) && i + 1 < args.size()) {
                return args.get(i + 1);
            }
            if (a.startsWith(longName + "=")) {
                return a.substring(longName.length() + 1);
            }
        }
        return null;
    }

    private String address() {
        String pachd = env.get("PACHD_ADDRESS");
        if (pachd != null && pachd.contains("/clusters/")) {
            return pachd.replaceAll("/+$", "");
        }
        String simulator = env.get("STEPWISE_SIMULATOR_URL");
        String cluster = env.get("STEPWISE_CLUSTER_ID");
        if (simulator == null || cluster == null) {
            throw new CliError("Error: set PACHD_ADDRESS={simulator}/clusters/{id}, or STEPWISE_SIMULATOR_URL and "
                    + "STEPWISE_CLUSTER_ID");
        }
        return simulator.replaceAll("/+$", "") + "/clusters/" + cluster;
    }

    private HttpResponse<byte[]> send(String method, String path, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(address() + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        String stepId = env.get("STEPWISE_STEP_ID");
        if (stepId != null && !stepId.isBlank()) {
            request.header("X-Stepwise-Step-Id", stepId);
        }
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() >= 300) {
            throw new CliError(new String(response.body(), StandardCharsets.UTF_8));
        }
        return response;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A failure whose message is what the real CLI prints on stderr. */
    private static final class CliError extends RuntimeException {
        CliError(String message) {
            super(message);
        }
    }
}
