package io.stepwise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code strategies list|get|put|delete}: strategies saved by name, for {@code rollout start --strategy}. */
@Command(name = "strategies", sortOptions = false,
        description = "Strategies saved by name, for rollout start --strategy NAME.",
        subcommands = {StrategiesCommand.ListStrategies.class, StrategiesCommand.Get.class, StrategiesCommand.Put.class,
                StrategiesCommand.Delete.class})
final class StrategiesCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Mixin
    HelpOption helpOption;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a command: list, get, put or delete");
    }

    @Command(name = "list", sortOptions = false, description = "The saved strategies.")
    static final class ListStrategies extends Base {

        @Override
        public Integer call() {
            JsonNode strategies = api(Role.VIEWER).get("/api/v1/strategies");
            if (format() != Format.table) {
                format().print(out(), strategies);
                return Exit.OK;
            }
            Table table = new Table("NAME", "STRATEGY", "BY", "UPDATED");
            for (JsonNode s : strategies) {
                table.row(Json.text(s, "name"), s.path("strategy").toString(), Json.text(s, "actor"),
                        Json.shortTime(Json.text(s, "updatedAt")));
            }
            table.print(out());
            if (table.size() == 0) {
                out().println("No saved strategy: stepwise strategies put NAME FILE saves one.");
            }
            return Exit.OK;
        }
    }

    @Command(name = "get", sortOptions = false, description = "One saved strategy.")
    static final class Get extends Base {

        @Parameters(paramLabel = "NAME", description = "The strategy's name.")
        String name;

        @Override
        public Integer call() {
            JsonNode s = api(Role.VIEWER).get("/api/v1/strategies/" + segment(name));
            (format() == Format.table ? Format.json : format()).print(out(), format() == Format.table
                    ? s.path("strategy") : s);
            return Exit.OK;
        }
    }

    @Command(name = "put", sortOptions = false,
            description = "Save a strategy under a name, or replace it, from a JSON or YAML file ('-' reads stdin):"
                    + " the strategy object of a rollout request (maxParallel, waves, failurePolicy, gates).")
    static final class Put extends Base {

        @Parameters(index = "0", paramLabel = "NAME", description = "1-63 lower-case letters, digits and '-'.")
        String name;

        @Parameters(index = "1", paramLabel = "FILE", description = "A .json, .yaml or .yml file, or '-'.")
        String file;

        @Override
        public Integer call() {
            JsonNode strategy;
            try {
                byte[] content = "-".equals(file) ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
                strategy = file.endsWith(".json") ? Json.MAPPER.readTree(content) : Json.yaml().readTree(content);
            } catch (java.nio.file.NoSuchFileException e) {
                throw CliException.usage("no file " + file);
            } catch (IOException e) {
                throw CliException.usage("cannot read " + file + ": " + e.getMessage().lines().findFirst().orElse(""));
            }
            JsonNode saved = api(Role.OPERATOR).put("/api/v1/strategies/" + segment(name), strategy);
            if (format() != Format.table) {
                format().print(out(), saved);
            } else {
                out().println("Strategy " + Json.text(saved, "name") + " saved: stepwise rollout start --strategy "
                        + Json.text(saved, "name") + " ... uses it.");
            }
            return Exit.OK;
        }
    }

    @Command(name = "delete", sortOptions = false, description = "Delete a saved strategy (rollouts keep theirs).")
    static final class Delete extends Base {

        @Parameters(paramLabel = "NAME", description = "The strategy's name.")
        String name;

        @Override
        public Integer call() {
            api(Role.OPERATOR).delete("/api/v1/strategies/" + segment(name));
            out().println("Strategy " + name + " deleted.");
            return Exit.OK;
        }
    }
}
