package io.stepwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code ./stepwise} prints a static help while the command line is not built: it must name every command the
 * command line has, so that a new command is not forgotten there.
 */
class CliHelpTextTest {

    @Test
    void theScriptsStaticHelpNamesEveryCommand() throws Exception {
        String script = Files.readString(Path.of("../stepwise"));
        int start = script.indexOf("cat <<'HELP'");
        int end = script.indexOf("\nHELP\n", start);
        assertThat(start).as("the static help in ../stepwise").isPositive();
        String help = script.substring(start, end);

        List<String> commands = new ArrayList<>();
        collect(new CommandLine(new Stepwise(null)), "", commands);

        assertThat(commands).contains("up", "clusters import", "rollout watch", "audit");
        for (String command : commands) {
            assertThat(help).as("the static help of ./stepwise names '%s'", command).containsPattern(
                    "(?m)^  " + java.util.regex.Pattern.quote(command) + "( |$)");
        }
    }

    /** The leaf commands' full names ("rollout watch"). */
    private static void collect(CommandLine command, String prefix, List<String> into) {
        for (var sub : command.getSubcommands().entrySet()) {
            String name = (prefix + " " + sub.getKey()).trim();
            if (sub.getValue().getSubcommands().isEmpty()) {
                into.add(name);
            } else {
                collect(sub.getValue(), name, into);
            }
        }
    }
}
