package io.stepwise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code webhooks list | add | delete | deliveries}: lifecycle events sent over HTTP (admins only). */
@Command(name = "webhooks", sortOptions = false,
        description = "Webhooks: the planner POSTs lifecycle events to them as signed CloudEvents (admin only).",
        subcommands = {WebhooksCommand.ListWebhooks.class, WebhooksCommand.AddWebhook.class,
                WebhooksCommand.DeleteWebhook.class, WebhooksCommand.ListDeliveries.class})
final class WebhooksCommand implements Runnable {

    /** Where {@code add} finds the secret when no --secret-file is given: never an option, which ps and history show. */
    static final String SECRET_ENV = "STEPWISE_WEBHOOK_SECRET";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Mixin
    HelpOption helpOption;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "name a command: list, add, delete or deliveries");
    }

    @Command(name = "list", sortOptions = false, description = "List webhooks, a page at a time.")
    static final class ListWebhooks extends Base {

        @Option(names = "--page", defaultValue = "0", description = "The page, from 0 (default: ${DEFAULT-VALUE}).")
        int page;

        @Option(names = "--size", defaultValue = "50", description = "Webhooks per page (default: ${DEFAULT-VALUE}).")
        int size;

        @Override
        public Integer call() {
            JsonNode answer = api(Role.ADMIN).get("/api/v1/webhooks?page=" + page + "&size=" + size);
            if (format() != Format.table) {
                format().print(out(), answer);
                return Exit.OK;
            }
            Table table = new Table("ID", "URL", "TYPES", "ROLLOUT", "CREATED BY");
            for (JsonNode w : answer.path("items")) {
                table.row(Json.text(w, "id"), Json.text(w, "url"), types(w), Json.text(w, "rolloutId"),
                        Json.text(w, "createdBy"));
            }
            table.print(out());
            if (answer.path("total").asLong() == 0) {
                out().println("No webhooks.");
            }
            return Exit.OK;
        }
    }

    @Command(name = "add", sortOptions = false,
            description = {"Create a webhook: the planner POSTs each lifecycle event from now on to URL.",
                    "The secret that signs each request comes from --secret-file, else $" + SECRET_ENV
                            + "; it is never shown again."})
    static final class AddWebhook extends Base {

        @Parameters(paramLabel = "URL", description = "The http(s) URL that receives the events.")
        String url;

        @Option(names = "--secret-file", paramLabel = "FILE",
                description = "A file holding the secret (16 characters or more); '-' reads stdin.")
        Path secretFile;

        @Option(names = "--type", paramLabel = "PREFIX", split = ",",
                description = "Only events whose type starts with PREFIX, e.g. io.stepwise.rollout. (repeatable).")
        List<String> types;

        @Option(names = "--rollout", paramLabel = "ID", description = "Only the events of this rollout.")
        String rollout;

        @Override
        public Integer call() {
            ObjectNode body = Json.object().put("url", url).put("secret", secret());
            if (types != null) {
                types.forEach(body.putArray("types")::add);
            }
            if (rollout != null) {
                body.put("rolloutId", rollout);
            }
            JsonNode w = api(Role.ADMIN).post("/api/v1/webhooks", body);
            if (format() != Format.table) {
                format().print(out(), w);
                return Exit.OK;
            }
            out().println("Webhook " + Json.text(w, "id") + " created: " + Json.text(w, "url") + ", "
                    + (types(w).isEmpty() ? "every event" : "events " + types(w)) + " of "
                    + (Json.text(w, "rolloutId").isEmpty() ? "every rollout" : "rollout " + Json.text(w, "rolloutId"))
                    + ".");
            return Exit.OK;
        }

        private String secret() {
            String secret;
            if (secretFile != null) {
                try {
                    secret = "-".equals(secretFile.toString())
                            ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                            : Files.readString(secretFile);
                } catch (IOException e) {
                    throw CliException.usage("cannot read the secret from " + secretFile + ": " + e.getMessage());
                }
            } else {
                secret = context().env().get(SECRET_ENV);
                if (secret == null) {
                    throw CliException.usage("give the webhook's secret in --secret-file FILE or $" + SECRET_ENV);
                }
            }
            return secret.strip();
        }
    }

    @Command(name = "delete", sortOptions = false, description = "Delete a webhook and its delivery log.")
    static final class DeleteWebhook extends Base {

        @Parameters(paramLabel = "ID", description = "The webhook's id.")
        String id;

        @Override
        public Integer call() {
            api(Role.ADMIN).delete("/api/v1/webhooks/" + segment(id));
            if (format() != Format.table) {
                format().print(out(), Json.object().put("deleted", id));
                return Exit.OK;
            }
            out().println("Webhook " + id + " deleted.");
            return Exit.OK;
        }
    }

    @Command(name = "deliveries", sortOptions = false,
            description = "A webhook's deliveries, newest first: state, attempts, the last answer or error.")
    static final class ListDeliveries extends Base {

        @Parameters(paramLabel = "ID", description = "The webhook's id.")
        String id;

        @Option(names = "--state", description = "PENDING, DELIVERED or FAILED.")
        String state;

        @Option(names = "--page", defaultValue = "0", description = "The page, from 0 (default: ${DEFAULT-VALUE}).")
        int page;

        @Option(names = "--size", defaultValue = "50", description = "Deliveries per page (default: ${DEFAULT-VALUE}).")
        int size;

        @Override
        public Integer call() {
            String path = "/api/v1/webhooks/" + segment(id) + "/deliveries?page=" + page + "&size=" + size
                    + (state == null ? "" : "&state=" + query(state));
            JsonNode answer = api(Role.ADMIN).get(path);
            if (format() != Format.table) {
                format().print(out(), answer);
                return Exit.OK;
            }
            Table table = new Table("EVENT", "TYPE", "ROLLOUT", "STATE", "ATTEMPTS", "LAST", "NEXT", "DELIVERED");
            for (JsonNode d : answer.path("items")) {
                String last = Json.text(d, "lastError").isEmpty() ? Json.text(d, "lastStatus")
                        : Json.text(d, "lastError");
                table.row(Json.text(d, "eventId"), Json.text(d, "eventType"), Json.text(d, "rolloutId"),
                        Json.text(d, "state"), Json.text(d, "attempts"), last, Json.text(d, "nextAttemptAt"),
                        Json.text(d, "deliveredAt"));
            }
            table.print(out());
            if (answer.path("total").asLong() == 0) {
                out().println("No deliveries" + (state == null ? "" : " " + state) + ".");
            }
            return Exit.OK;
        }
    }

    private static String types(JsonNode webhook) {
        StringBuilder types = new StringBuilder();
        webhook.path("types").forEach(t -> types.append(types.length() == 0 ? "" : ",").append(t.asText()));
        return types.toString();
    }
}
