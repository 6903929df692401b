package io.stepwise.cli;

import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code stepwise}: the command line for people. Each call speaks the planner's REST API and exits with a code a
 * script can rely on ({@link Exit}).
 */
@Command(name = "stepwise", mixinStandardHelpOptions = true,
        versionProvider = Stepwise.Version.class, sortOptions = false, usageHelpAutoWidth = true,
        description = "Upgrades fleets of Weaviate and Pachyderm clusters the way their vendors say it must be done.",
        subcommands = {UpCommand.class, ClustersCommand.class, PlanCommand.class, RolloutCommand.class,
                FreezesCommand.class, StrategiesCommand.class, WebhooksCommand.class,
                AuditCommand.class, RecoveryCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nConfiguration:%n",
        footer = {
                "  The planner: --server, else STEPWISE_URL, else 'server' in the config file,",
                "    else http://localhost:8080.",
                "  The token: --token-file or --token, else STEPWISE_TOKEN, else 'token-file' or",
                "    'token' in the config file (sent to its own server only), else, for a",
                "    planner on this machine, the one ./stepwise up wrote for the role the",
                "    command needs (.stepwise/tokens/viewer, operator, approver or admin).",
                "  The config file: STEPWISE_CONFIG, else ~/.config/stepwise/config.yaml, e.g.",
                "    server: https://stepwise.example",
                "    token-file: ~/.config/stepwise/token",
                "",
                "Exit codes:",
                "  0  done; for --wait and watch: the rollout SUCCEEDED",
                "  1  the rollout ended FAILED or CANCELLED (clusters failed or were cancelled)",
                "  2  usage error",
                "  3  refused by the planner (4xx): invalid request, no or refused token,",
                "     forbidden, unknown id, conflict",
                "  4  the planner cannot be reached, or failed (5xx)",
                "  5  audit --verify: the audit trail's hash chain is broken"})
public final class Stepwise implements Runnable {

    @Option(names = "--server", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "The planner, e.g. https://stepwise.example (else STEPWISE_URL, the config file,"
                    + " http://localhost:8080).")
    String server;

    @Option(names = "--token-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "A file holding the bearer token.")
    Path tokenFile;

    @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN",
            description = "The bearer token itself (other users of this machine may see it in the process list:"
                    + " prefer --token-file or STEPWISE_TOKEN).")
    String token;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default), json or yaml.")
    Format output;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Say which server and which token (never the token itself) are used, and each request.")
    boolean verbose;

    @Option(names = "--home", scope = ScopeType.INHERIT, hidden = true,
            description = "The Stepwise checkout, where the local stack keeps its tokens (the ./stepwise script"
                    + " passes it).")
    Path home;

    @Spec
    CommandSpec spec;

    final Context context;

    Stepwise(Context context) {
        this.context = context;
    }

    public static void main(String[] args) {
        System.exit(run(Context.system(), args));
    }

    /** Runs one command line; returns its exit code. */
    static int run(Context context, String... args) {
        CommandLine commandLine = new CommandLine(new Stepwise(context))
                .setOut(context.out())
                .setErr(context.err())
                .setCaseInsensitiveEnumValuesAllowed(true)
                // the last wins: ./stepwise passes --home first, so that a --home of the user's own overrides it
                .setOverwrittenOptionsAllowed(true)
                .setExecutionExceptionHandler((e, cl, parsed) -> {
                    PrintWriter err = context.err();
                    context.out().flush();
                    if (e instanceof CliException failure) {
                        failure.lines.forEach(line -> err.println("stepwise: " + line));
                        err.flush();
                        return failure.exitCode;
                    }
                    throw e;
                });
        try {
            return commandLine.execute(args);
        } finally {
            context.out().flush();
            context.err().flush();
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(context.out());
    }

    /** The API as the command's role may call it. */
    Api api(Role role) {
        Settings settings = Settings.resolve(new Settings.Flags(server, token, tokenFile, home()), context.env(),
                context.userHome(), role);
        if (verbose) {
            verbose("server " + settings.server() + " (from " + settings.serverSource() + ")");
            verbose("token: " + settings.tokenSource());
        }
        return new Api(settings, verbose ? this::verbose : null);
    }

    void verbose(String line) {
        if (verbose) {
            context.err().println("stepwise: " + line);
            context.err().flush();
        }
    }

    /** {@code --home}, else the checkout this jar was built in ({@code <home>/cli/target/stepwise-cli.jar}). */
    private Path home() {
        if (home != null) {
            return home;
        }
        try {
            Path jar = Path.of(Stepwise.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path checkout = jar.getParent() == null || jar.getParent().getParent() == null ? null
                    : jar.getParent().getParent().getParent();
            return checkout != null && Files.isRegularFile(checkout.resolve("stepwise")) ? checkout : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /** The version of the jar (its manifest's Implementation-Version). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Stepwise.class.getPackage().getImplementationVersion();
            return new String[] {"stepwise command line " + (version == null ? "(development build)" : version)};
        }
    }
}
