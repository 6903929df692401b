package io.stepwise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code freezes list|create|delete}: fleet-wide freezes, during which no cluster begins a new segment. */
@Command(name = "freezes", sortOptions = false,
        description = "Fleet-wide freezes: while one is in force no cluster begins a new segment.",
        subcommands = {FreezesCommand.ListFreezes.class, FreezesCommand.Create.class, FreezesCommand.Delete.class})
final class FreezesCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Mixin
    HelpOption helpOption;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a command: list, create or delete");
    }

    @Command(name = "list", sortOptions = false, description = "The freezes in force or to come.")
    static final class ListFreezes extends Base {

        @Override
        public Integer call() {
            JsonNode freezes = api(Role.VIEWER).get("/api/v1/freezes");
            if (format() != Format.table) {
                format().print(out(), freezes);
                return Exit.OK;
            }
            Table table = new Table("ID", "FROM", "TO", "REASON", "BY");
            for (JsonNode f : freezes) {
                table.row(Json.text(f, "id"), Json.text(f, "from"), Json.text(f, "to"), Json.text(f, "reason"),
                        Json.text(f, "actor"));
            }
            table.print(out());
            if (table.size() == 0) {
                out().println("No freeze in force or to come.");
            }
            return Exit.OK;
        }
    }

    @Command(name = "create", sortOptions = false, description = "Freeze the fleet (needs the admin role).")
    static final class Create extends Base {

        @Option(names = "--from", paramLabel = "TIME", description = "When it begins (ISO-8601; default: now).")
        String from;

        @Option(names = "--to", required = true, paramLabel = "TIME", description = "When it ends (ISO-8601).")
        String to;

        @Option(names = "--reason", required = true, description = "Why, for the people who see it.")
        String reason;

        @Override
        public Integer call() {
            ObjectNode body = Json.object().put("to", to).put("reason", reason);
            if (from != null) {
                body.put("from", from);
            }
            JsonNode f = api(Role.ADMIN).post("/api/v1/freezes", body);
            if (format() != Format.table) {
                format().print(out(), f);
            } else {
                out().println("Freeze " + Json.text(f, "id") + ": from " + Json.text(f, "from") + " to "
                        + Json.text(f, "to") + " (" + Json.text(f, "reason") + ").");
            }
            return Exit.OK;
        }
    }

    @Command(name = "delete", sortOptions = false, description = "End a freeze, or cancel one to come.")
    static final class Delete extends Base {

        @Parameters(paramLabel = "ID", description = "The freeze's id.")
        String id;

        @Override
        public Integer call() {
            api(Role.ADMIN).delete("/api/v1/freezes/" + segment(id));
            out().println("Freeze " + id + " removed.");
            return Exit.OK;
        }
    }
}
