package io.stepwise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.StringJoiner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code clusters list | get | import}: the inventory. */
@Command(name = "clusters", sortOptions = false,
        description = "The inventory of clusters Stepwise may upgrade.",
        subcommands = {ClustersCommand.ListClusters.class, ClustersCommand.GetCluster.class,
                ClustersCommand.ImportClusters.class, ClustersCommand.Hold.class, ClustersCommand.Release.class})
final class ClustersCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Mixin
    HelpOption helpOption;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a command: list, get, import, hold or release");
    }

    @Command(name = "list", sortOptions = false,
            description = "List registered clusters, a page at a time.")
    static final class ListClusters extends Base {

        @Option(names = "--selector", paramLabel = "SELECTOR",
                description = "Label selector, e.g. 'env=prod,region in (eu,us)'.")
        String selector;

        @Option(names = "--product", description = "weaviate or pachyderm.")
        String product;

        @Option(names = "--page", defaultValue = "0", description = "The page, from 0 (default: ${DEFAULT-VALUE}).")
        int page;

        @Option(names = "--size", defaultValue = "50", description = "Clusters per page (default: ${DEFAULT-VALUE}).")
        int size;

        @Override
        public Integer call() {
            StringBuilder path = new StringBuilder("/api/v1/clusters?page=" + page + "&size=" + size);
            if (selector != null) {
                path.append("&selector=").append(query(selector));
            }
            if (product != null) {
                path.append("&product=").append(query(product));
            }
            JsonNode answer = api(Role.VIEWER).get(path.toString());
            if (format() != Format.table) {
                format().print(out(), answer);
                return Exit.OK;
            }
            // the HOLD column only when a cluster shown is held: most pages have none
            boolean held = false;
            for (JsonNode c : answer.path("items")) {
                held |= !Json.text(c, "holdReason").isEmpty();
            }
            Table table = held ? new Table("ID", "PRODUCT", "VERSION", "NODES", "DEPLOYMENT", "LABELS", "HOLD")
                    : new Table("ID", "PRODUCT", "VERSION", "NODES", "DEPLOYMENT", "LABELS");
            for (JsonNode c : answer.path("items")) {
                if (held) {
                    table.row(Json.text(c, "id"), Json.text(c, "product"), Json.text(c, "version"),
                            Json.text(c, "nodes"), Json.text(c, "deployment"), labels(c.path("labels")), hold(c));
                } else {
                    table.row(Json.text(c, "id"), Json.text(c, "product"), Json.text(c, "version"),
                            Json.text(c, "nodes"), Json.text(c, "deployment"), labels(c.path("labels")));
                }
            }
            table.print(out());
            long total = answer.path("total").asLong();
            int shown = table.size();
            long first = (long) page * size;
            if (shown < total) {
                out().println(shown == 0 ? "No clusters on page " + page + " of " + total + "."
                        : "Clusters " + (first + 1) + "-" + (first + shown) + " of " + total
                        + (first + shown < total ? " (--page " + (page + 1) + " for more)" : "") + ".");
            } else if (total == 0) {
                out().println("No clusters" + (selector == null ? "" : " match '" + selector + "'") + ".");
            }
            return Exit.OK;
        }
    }

    @Command(name = "get", sortOptions = false,
            description = "One registered cluster.")
    static final class GetCluster extends Base {

        @Parameters(paramLabel = "ID", description = "The cluster's id.")
        String id;

        @Override
        public Integer call() {
            JsonNode c = api(Role.VIEWER).get("/api/v1/clusters/" + segment(id));
            if (format() != Format.table) {
                format().print(out(), c);
                return Exit.OK;
            }
            Table table = new Table("FIELD", "VALUE");
            for (var field : (Iterable<Map.Entry<String, JsonNode>>) c::fields) {
                JsonNode value = field.getValue();
                table.row(field.getKey(), value.isObject() ? labels(value) : value.isArray() ? windows(value)
                        : value.isNull() ? "" : value.asText());
            }
            table.lines("").stream().skip(1).forEach(out()::println);
            return Exit.OK;
        }
    }

    @Command(name = "import", sortOptions = false,
            description = {"Register or replace clusters from a JSON or YAML file, all or none"
            + " (POST /api/v1/clusters/batch): one cluster, a list of them, or {\"clusters\": [...]}; '-' reads stdin.",
            "Each cluster as the API takes it: id, product, version, nodes, deployment, endpoint, namespace,"
                    + " statefulSet, helmRelease, credentialsRef, labels, extra."})
    static final class ImportClusters extends Base {

        @Parameters(paramLabel = "FILE", description = "A .json, .yaml or .yml file, or '-' for stdin (JSON or YAML).")
        String file;

        @Override
        public Integer call() {
            ArrayNode clusters = read();
            JsonNode body = Json.object().set("clusters", clusters);
            JsonNode answer = api(Role.OPERATOR).post("/api/v1/clusters/batch", body);
            if (format() != Format.table) {
                format().print(out(), answer);
                return Exit.OK;
            }
            int created = answer.path("created").asInt();
            int replaced = answer.path("replaced").asInt();
            out().println("Imported " + (created + replaced) + " cluster(s) from " + ("-".equals(file) ? "stdin" : file)
                    + ": " + created + " created, " + replaced + " replaced.");
            return Exit.OK;
        }

        private ArrayNode read() {
            JsonNode document;
            try {
                byte[] content;
                if ("-".equals(file)) {
                    InputStream in = System.in;
                    content = in.readAllBytes();
                } else {
                    content = Files.readAllBytes(Path.of(file));
                }
                // YAML is a superset of JSON; JSON files are read as JSON for its sharper error messages
                String start = new String(content, 0, Math.min(content.length, 200), StandardCharsets.UTF_8);
                boolean json = file.endsWith(".json") || (!file.endsWith(".yaml") && !file.endsWith(".yml")
                        && (start.stripLeading().startsWith("{") || start.stripLeading().startsWith("[")));
                document = json ? Json.MAPPER.readTree(content) : Json.yaml().readTree(content);
            } catch (java.nio.file.NoSuchFileException e) {
                throw CliException.usage("no file " + file);
            } catch (IOException e) {
                throw CliException.usage("cannot read " + file + ": " + e.getMessage().lines().findFirst().orElse(""));
            }
            if (document != null && document.isObject() && document.has("clusters")) {
                document = document.get("clusters");
            }
            ArrayNode clusters = null;
            if (document != null && document.isObject()) {
                clusters = Json.MAPPER.createArrayNode().add(document);
            } else if (document != null && document.isArray()) {
                clusters = (ArrayNode) document;
            }
            if (clusters != null) {
                for (int i = 0; i < clusters.size(); i++) {
                    for (String field : VERSIONS) {
                        JsonNode value = clusters.get(i).path(field);
                        if (value.isNumber()) {
                            // YAML reads an unquoted 1.30 as the number 1.3: refuse it rather than send another version
                            throw CliException.usage(file + ": clusters[" + i + "]." + field + " is the number "
                                    + value.asText() + ", not a version: quote it (" + field + ": \"1.30\")");
                        }
                    }
                }
                return clusters;
            }
            throw CliException.usage(file + " holds no clusters: give one cluster, a list of them, or"
                    + " {\"clusters\": [...]}");
        }
    }

    @Command(name = "hold", sortOptions = false,
            description = "Keep rollouts off a cluster: a new rollout skips it (HELD), a running one stops it at its"
            + " next safe point.")
    static final class Hold extends Base {

        @Parameters(paramLabel = "ID", description = "The cluster's id.")
        String id;

        @Option(names = "--reason", required = true, description = "Why, for the people who see the hold.")
        String reason;

        @Override
        public Integer call() {
            JsonNode c = api(Role.OPERATOR).put("/api/v1/clusters/" + segment(id) + "/hold",
                    Json.object().put("reason", reason));
            if (format() != Format.table) {
                format().print(out(), c);
            } else {
                out().println("Cluster " + Json.text(c, "id") + " is " + hold(c) + ".");
            }
            return Exit.OK;
        }
    }

    @Command(name = "release", sortOptions = false, description = "Release a cluster's hold.")
    static final class Release extends Base {

        @Parameters(paramLabel = "ID", description = "The cluster's id.")
        String id;

        @Override
        public Integer call() {
            JsonNode c = api(Role.OPERATOR).delete("/api/v1/clusters/" + segment(id) + "/hold");
            if (format() != Format.table) {
                format().print(out(), c);
            } else {
                out().println("Cluster " + Json.text(c, "id") + " is not held.");
            }
            return Exit.OK;
        }
    }

    /** "held by alice: quarterly reporting", or empty. */
    static String hold(JsonNode cluster) {
        String reason = Json.text(cluster, "holdReason");
        return reason.isEmpty() ? "" : "held by " + Json.text(cluster, "heldBy") + ": " + reason;
    }

    /** "SATURDAY,SUNDAY 22:00 PT6H Europe/Berlin; ...". */
    static String windows(JsonNode windows) {
        StringJoiner joined = new StringJoiner("; ");
        for (JsonNode w : windows) {
            StringJoiner days = new StringJoiner(",");
            w.path("days").forEach(d -> days.add(d.asText()));
            joined.add((days.length() == 0 ? "daily" : days.toString()) + " " + Json.text(w, "start") + " for "
                    + Json.text(w, "duration") + " (" + Json.text(w, "timeZone") + ")");
        }
        return joined.toString();
    }

    /** The fields of a registration that hold a version. */
    private static final java.util.List<String> VERSIONS = java.util.List.of("version", "postgresVersion");

    /** {@code env=prod,region=eu}. */
    static String labels(JsonNode labels) {
        StringJoiner joined = new StringJoiner(",");
        labels.fields().forEachRemaining(e -> joined.add(e.getKey() + "=" + e.getValue().asText()));
        return joined.toString();
    }
}
