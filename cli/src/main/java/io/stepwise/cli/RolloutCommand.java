package io.stepwise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rollout start | list | get | watch | pause | resume | cancel | approve | retry}. */
@Command(name = "rollout", sortOptions = false,
        description = "Upgrades of many clusters, step by step: start, follow and steer them.",
        subcommands = {RolloutCommand.Start.class, RolloutCommand.ListRollouts.class, RolloutCommand.Get.class,
                RolloutCommand.Watch.class, RolloutCommand.Pause.class, RolloutCommand.Resume.class,
                RolloutCommand.Cancel.class, RolloutCommand.Approve.class, RolloutCommand.Retry.class,
                RolloutCommand.ApproveGate.class, RolloutCommand.EndWait.class})
final class RolloutCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    HelpOption helpOption;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name a command: start, list, get, watch, pause, resume,"
                + " cancel, approve, retry, approve-gate or end-wait");
    }

    @Command(name = "start", sortOptions = false,
            description = "Start a rollout of the selected registered clusters (POST"
            + " /api/v1/rollouts); with --wait, follow it to its end.")
    static final class Start extends Base {

        @Option(names = "--product", required = true, description = "weaviate or pachyderm.")
        String product;

        @Option(names = "--target", required = true, paramLabel = "VERSION",
                description = "1.30.23, 1.30 (its latest patch) or latest.")
        String target;

        @Option(names = "--selector", paramLabel = "SELECTOR",
                description = "Label selector over the inventory, e.g. 'fleet=demo'.")
        String selector;

        @Option(names = "--cluster", split = ",", paramLabel = "ID",
                description = "Registered clusters by id (repeat it, or separate ids with commas).")
        List<String> clusterIds;

        @Option(names = "--max-parallel", paramLabel = "N",
                description = "Clusters upgraded at once (the planner's default: 1).")
        Integer maxParallel;

        @Option(names = "--max-failed", paramLabel = "N",
                description = "Failed clusters after which the rollout stops (the planner's default: 1).")
        Integer maxFailed;

        @Option(names = "--wave", paramLabel = "NAME:SELECTOR[:pause]",
                description = "A wave, in order, e.g. canary:ring=canary:pause (pause after it until resumed);"
                        + " clusters no wave takes form a last wave, 'remaining'.")
        List<String> waves;

        @Option(names = "--wave-limit", paramLabel = "WAVE=N|N%",
                description = "A wave's own maxParallel: a count or a percentage of its clusters, e.g. rest=10%%.")
        List<String> waveLimits;

        @Option(names = "--soak", paramLabel = "WAVE=DURATION",
                description = "Wait after a wave before the next starts (ISO-8601, up to P30D), e.g. canary=PT24H.")
        List<String> soaks;

        @Option(names = "--gate", paramLabel = "before|after:WAVE",
                description = "Wait for an approver before or after a wave, e.g. after:canary.")
        List<String> gates;

        @Option(names = "--strategy", paramLabel = "NAME",
                description = "A saved strategy (stepwise strategies list) instead of the options above.")
        String strategyName;

        @Option(names = "--start-at", paramLabel = "TIME",
                description = "Start then (ISO-8601, e.g. 2026-12-24T22:00:00Z); SCHEDULED until then.")
        String startAt;

        @Option(names = "--follow-selector", description = "Clusters registered later that match the selector join"
                + " the last wave until the rollout ends.")
        boolean followSelector;

        @Option(names = "--skip-busy", description = "Skip clusters another unfinished rollout holds (else the"
                + " rollout is refused, naming them).")
        boolean skipBusy;

        @Option(names = "--no-probe", description = "Plan from the inventory at once instead of reading what each"
                + " cluster runs first.")
        boolean noProbe;

        @Option(names = "--idempotency-key", paramLabel = "KEY",
                description = "Sent as Idempotency-Key: the same key and request return the same rollout.")
        String idempotencyKey;

        @Option(names = "--wait", description = "Follow the rollout with progress bars until it ends; the exit code"
                + " says how it ended (0 succeeded, 1 failed or cancelled).")
        boolean waitForEnd;

        @Override
        public Integer call() {
            Api api = api(Role.OPERATOR);
            JsonNode started = api.post("/api/v1/rollouts?view=summary", request(),
                    idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey));
            String id = Json.text(started, "id");
            if (!waitForEnd) {
                if (format() != Format.table) {
                    format().print(out(), started);
                } else {
                    out().println(startedLine(started));
                    out().println("Follow it: stepwise rollout watch " + id);
                }
                return Exit.OK;
            }
            if (format() == Format.table) {
                out().println(startedLine(started));
                out().flush();
            }
            return follow(this, api, id, false);
        }

        ObjectNode request() {
            if (selector == null && (clusterIds == null || clusterIds.isEmpty())) {
                throw new ParameterException(spec.commandLine(), "choose the clusters: --selector or --cluster");
            }
            ObjectNode body = Json.object().put("product", product).put("targetVersion", target);
            if (selector != null) {
                body.put("selector", selector);
            }
            if (clusterIds != null && !clusterIds.isEmpty()) {
                ArrayNode ids = body.putArray("clusterIds");
                clusterIds.forEach(ids::add);
            }
            ObjectNode strategy = Json.object();
            if (maxParallel != null) {
                strategy.put("maxParallel", maxParallel);
            }
            if (maxFailed != null) {
                strategy.putObject("failurePolicy").put("maxFailedClusters", maxFailed);
            }
            if (waves != null && !waves.isEmpty()) {
                ArrayNode list = strategy.putArray("waves");
                for (String wave : waves) {
                    list.add(wave(wave));
                }
                setOnWaves(list, waveLimits, "--wave-limit", "maxParallel");
                setOnWaves(list, soaks, "--soak", "waitAfter");
            } else if (waveLimits != null || soaks != null) {
                throw new ParameterException(spec.commandLine(), "--wave-limit and --soak name a --wave");
            }
            if (gates != null && !gates.isEmpty()) {
                ArrayNode list = strategy.putArray("gates");
                for (String gate : gates) {
                    String[] parts = gate.split(":", 2);
                    if (parts.length != 2 || !(parts[0].equals("before") || parts[0].equals("after"))) {
                        throw new ParameterException(spec.commandLine(), "--gate '" + gate + "' is not before:WAVE"
                                + " or after:WAVE");
                    }
                    list.add(Json.object().put("when", parts[0]).put("wave", parts[1]));
                }
            }
            if (strategyName != null) {
                if (!strategy.isEmpty()) {
                    throw new ParameterException(spec.commandLine(), "--strategy names a saved strategy: leave out"
                            + " --max-parallel, --max-failed, --wave, --wave-limit, --soak and --gate");
                }
                body.put("strategyName", strategyName);
            }
            if (startAt != null) {
                body.put("startAt", startAt);
            }
            if (followSelector) {
                body.put("followSelector", true);
            }
            if (!strategy.isEmpty()) {
                body.set("strategy", strategy);
            }
            if (skipBusy) {
                body.put("busyClusters", "skip");
            }
            if (noProbe) {
                body.put("probe", false);
            }
            return body;
        }

        private void setOnWaves(ArrayNode waveList, List<String> settings, String option, String field) {
            if (settings == null) {
                return;
            }
            for (String setting : settings) {
                int eq = setting.indexOf('=');
                String name = eq <= 0 ? "" : setting.substring(0, eq);
                JsonNode wave = null;
                for (JsonNode w : waveList) {
                    if (Json.text(w, "name").equals(name)) {
                        wave = w;
                    }
                }
                if (wave == null || eq == setting.length() - 1) {
                    throw new ParameterException(spec.commandLine(), option + " '" + setting + "' is not WAVE=VALUE"
                            + " for a --wave of this rollout");
                }
                ((ObjectNode) wave).put(field, setting.substring(eq + 1));
            }
        }

        private ObjectNode wave(String text) {
            boolean pause = text.endsWith(":pause");
            String rest = pause ? text.substring(0, text.length() - ":pause".length()) : text;
            int colon = rest.indexOf(':');
            if (colon <= 0 || colon == rest.length() - 1) {
                throw new ParameterException(spec.commandLine(), "--wave '" + text + "' is not NAME:SELECTOR or"
                        + " NAME:SELECTOR:pause, e.g. canary:ring=canary:pause");
            }
            ObjectNode wave = Json.object().put("name", rest.substring(0, colon))
                    .put("selector", rest.substring(colon + 1));
            if (pause) {
                wave.put("pauseAfter", true);
            }
            return wave;
        }

        private static String startedLine(JsonNode r) {
            int clusters = 0;
            for (JsonNode n : r.path("counts")) {
                clusters += n.asInt();
            }
            String message = Json.text(r, "message");
            return "Rollout " + Json.text(r, "id") + " started: " + Json.text(r, "product") + " to "
                    + Json.text(r, "targetVersion") + ", " + clusters + " cluster(s), " + Json.text(r, "state")
                    + (message.isEmpty() ? "" : " (" + message + ")");
        }
    }

    @Command(name = "list", sortOptions = false,
            description = "List rollouts, newest first.")
    static final class ListRollouts extends Base {

        @Option(names = "--state", description = "PENDING, RUNNING, PAUSED, SUCCEEDED, FAILED or CANCELLED.")
        String state;

        @Option(names = "--page", defaultValue = "0", description = "The page, from 0 (default: ${DEFAULT-VALUE}).")
        int page;

        @Option(names = "--size", defaultValue = "20", description = "Rollouts per page (default: ${DEFAULT-VALUE}).")
        int size;

        @Override
        public Integer call() {
            JsonNode answer = api(Role.VIEWER).get("/api/v1/rollouts?page=" + page + "&size=" + size
                    + (state == null ? "" : "&state=" + query(state)));
            if (format() != Format.table) {
                format().print(out(), answer);
                return Exit.OK;
            }
            Table table = new Table("ID", "STATE", "PRODUCT", "TARGET", "CLUSTERS", "PROGRESS", "CREATED");
            for (JsonNode r : answer.path("items")) {
                RolloutProgress p = RolloutProgress.of(r);
                table.row(p.id, p.state, p.product, p.targetVersion, p.total(), ProgressView.states(p.counts),
                        Json.shortTime(Json.text(r, "createdAt")));
            }
            table.print(out());
            long total = answer.path("total").asLong();
            if (total == 0) {
                out().println("No rollouts" + (state == null ? "" : " in state " + state) + ".");
            } else if ((long) page * size + table.size() < total) {
                out().println(total + " rollouts; --page " + (page + 1) + " for more.");
            }
            return Exit.OK;
        }
    }

    @Command(name = "get", sortOptions = false,
            description = "A rollout: its state, waves and every cluster's progress.")
    static final class Get extends Base {

        @Parameters(paramLabel = "ID", description = "The rollout's id.")
        String id;

        @Option(names = "--summary", description = "Counts only, without the clusters (for large rollouts).")
        boolean summary;

        @Override
        public Integer call() {
            JsonNode r = api(Role.VIEWER).get("/api/v1/rollouts/" + segment(id) + (summary ? "?view=summary" : ""));
            if (format() != Format.table) {
                format().print(out(), r);
                return Exit.OK;
            }
            RolloutProgress p = RolloutProgress.of(r);
            PrintWriter out = out();
            out.println(ProgressView.header(p, new ProgressView.Pace(), context().clock().instant()));
            if (!p.message.isEmpty()) {
                out.println("  " + p.message);
            }
            String waiting = waiting(r, context().clock().instant());
            if (!waiting.isEmpty()) {
                out.println("  " + waiting);
            }
            for (RolloutProgress.Wave w : p.waves) {
                out.println("  wave " + w.name() + ": " + w.ended() + "/" + w.total() + " ended ("
                        + ProgressView.states(w.counts()) + ")" + (w.pauseAfter() ? ", pauses after" : "")
                        + waveRules(r, w.name()));
            }
            if (!summary && !p.clusters.isEmpty()) {
                out.println();
                Table table = new Table("CLUSTER", "WAVE", "STATE", "FROM", "TO", "STEP", "MESSAGE");
                for (RolloutProgress.Cluster c : p.clusters()) {
                    RolloutProgress.Step step = c.ended() ? c.failedStep() : c.currentStep();
                    String message = c.state().equals("FAILED") ? ProgressView.ended(c)
                            .substring(c.id().length() + 1) : step != null && !step.message().isEmpty()
                            ? step.message() : c.message();
                    table.row(c.id(), c.wave(), c.state(), c.fromVersion(), c.toVersion(),
                            step == null ? "" : step.seq() + "/" + c.steps().size() + " " + step.kind(), message);
                }
                table.print(out);
            }
            return Exit.OK;
        }
    }

    @Command(name = "watch", sortOptions = false,
            description = {"Follow a rollout live until it ends: a progress bar per wave and per"
            + " cluster at work, with an ETA (plain progress lines when the output is not a terminal; one JSON"
            + " document per event with --output json).",
            "Exits 0 when it SUCCEEDED, 1 when it FAILED or was CANCELLED."})
    static final class Watch extends Base {

        @Parameters(paramLabel = "ID", description = "The rollout's id.")
        String id;

        @Override
        public Integer call() {
            return follow(this, api(Role.VIEWER), id, true);
        }
    }

    /** pause, resume, cancel, approve-gate, end-wait: POST /rollouts/{id}/{action}. */
    abstract static class Action extends Base {

        @Parameters(paramLabel = "ID", description = "The rollout's id.")
        String id;

        abstract String action();

        Role role() {
            return Role.OPERATOR;
        }

        @Override
        public Integer call() {
            JsonNode r = api(role()).post("/api/v1/rollouts/" + segment(id) + "/" + action()
                    + "?view=summary", null);
            return printAction(this, r);
        }
    }

    @Command(name = "pause", sortOptions = false,
            description = "Start no further step or cluster; running steps and segments finish.")
    static final class Pause extends Action {
        @Override
        String action() {
            return "pause";
        }
    }

    @Command(name = "resume", sortOptions = false,
            description = "Go on with a paused rollout.")
    static final class Resume extends Action {
        @Override
        String action() {
            return "resume";
        }
    }

    @Command(name = "cancel", sortOptions = false,
            description = "Stop the rollout: waiting clusters are cancelled, steps in flight stop"
            + " at their next safe point.")
    static final class Cancel extends Action {
        @Override
        String action() {
            return "cancel";
        }
    }

    /** approve, retry: POST /rollouts/{id}/clusters/{cluster}/{action}. */
    abstract static class ClusterAction extends Base {

        @Parameters(index = "0", paramLabel = "ID", description = "The rollout's id.")
        String id;

        @Parameters(index = "1", paramLabel = "CLUSTER", description = "The cluster's id.")
        String cluster;

        abstract String action();

        abstract Role role();

        @Override
        public Integer call() {
            JsonNode r = api(role()).post("/api/v1/rollouts/" + segment(id) + "/clusters/" + segment(cluster) + "/"
                    + action() + "?view=summary", null);
            return printAction(this, r);
        }
    }

    @Command(name = "approve", sortOptions = false,
            description = "Approve a cluster waiting at a MANUAL_APPROVAL step (needs the"
            + " approver role; not the rollout's starter).")
    static final class Approve extends ClusterAction {
        @Override
        String action() {
            return "approve";
        }

        @Override
        Role role() {
            return Role.APPROVER;
        }
    }

    @Command(name = "retry", sortOptions = false,
            description = "Run a failed cluster's failed step again, once its cause is fixed.")
    static final class Retry extends ClusterAction {
        @Override
        String action() {
            return "retry";
        }

        @Override
        Role role() {
            return Role.OPERATOR;
        }
    }

    @Command(name = "approve-gate", sortOptions = false,
            description = "Let a rollout past the gate it waits at (needs the gate's role; not the rollout's starter).")
    static final class ApproveGate extends Action {
        @Override
        String action() {
            return "gate/approve";
        }

        @Override
        Role role() {
            return Role.APPROVER;
        }
    }

    @Command(name = "end-wait", sortOptions = false,
            description = "End the soak a rollout waits out between two waves, now (needs the approver role).")
    static final class EndWait extends Action {
        @Override
        String action() {
            return "wait/end";
        }

        @Override
        Role role() {
            return Role.APPROVER;
        }
    }

    /** "waiting at the gate after:canary for an approver", "soaking until ... (1 h 59 min left)", or empty. */
    static String waiting(JsonNode r, Instant now) {
        if ("gate".equals(Json.text(r, "waitingFor"))) {
            return "waiting at the gate " + Json.text(r, "pendingGate") + " for an " + Json.text(r, "gateRole")
                    + ": stepwise rollout approve-gate " + Json.text(r, "id");
        }
        Instant until = Json.time(r, "waitUntil");
        if ("soak".equals(Json.text(r, "waitingFor")) && until != null) {
            return "soaking until " + until + " (" + left(now, until) + " left): stepwise rollout end-wait "
                    + Json.text(r, "id") + " ends it now";
        }
        Instant startAt = Json.time(r, "startAt");
        if ("SCHEDULED".equals(Json.text(r, "state")) && startAt != null) {
            return "scheduled: starts at " + startAt + " (in " + left(now, startAt) + ")";
        }
        return "";
    }

    /** ", at most 2 at once, soak PT2H, gate after (approver, PENDING)" for the named wave. */
    private static String waveRules(JsonNode r, String wave) {
        StringBuilder rules = new StringBuilder();
        for (JsonNode w : r.path("waves")) {
            if (!Json.text(w, "name").equals(wave)) {
                continue;
            }
            if (!Json.text(w, "maxParallel").isEmpty()) {
                rules.append(", at most ").append(Json.text(w, "maxParallel")).append(" at once");
            }
            if (!Json.text(w, "waitAfter").isEmpty()) {
                rules.append(", soak ").append(Json.text(w, "waitAfter"));
            }
        }
        for (JsonNode g : r.path("gates")) {
            if (Json.text(g, "wave").equals(wave)) {
                rules.append(", gate ").append(Json.text(g, "when")).append(" (").append(Json.text(g, "role"))
                        .append(", ").append(Json.text(g, "state")).append(")");
            }
        }
        return rules.toString();
    }

    /** "1 d 2 h", "1 h 59 min", "42 s". */
    static String left(Instant now, Instant until) {
        Duration d = Duration.between(now, until);
        if (d.isNegative()) {
            return "0 s";
        }
        if (d.toDays() > 0) {
            return d.toDays() + " d " + d.toHoursPart() + " h";
        }
        if (d.toHours() > 0) {
            return d.toHours() + " h " + d.toMinutesPart() + " min";
        }
        return d.toMinutes() > 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }

    private static int printAction(Base command, JsonNode r) {
        if (command.format() != Format.table) {
            command.format().print(command.out(), r);
            return Exit.OK;
        }
        String message = Json.text(r, "message");
        command.out().println("Rollout " + Json.text(r, "id") + " is " + Json.text(r, "state") + " ("
                + ProgressView.states(RolloutProgress.of(r).counts) + ")"
                + (message.isEmpty() ? "" : ": " + message));
        return Exit.OK;
    }

    /**
     * Follows a rollout to its end and says how it ended. Table output: progress on stdout (live on a terminal),
     * then a summary. JSON or YAML: {@code watch} prints each event, {@code start --wait} prints progress lines on
     * stderr and the ended rollout's summary on stdout.
     */
    static int follow(Base command, Api api, String id, boolean eventsOut) {
        Context context = command.context();
        Format format = command.format();
        boolean verbose = command.root().verbose;
        Display display;
        Watcher watcher;
        if (format == Format.table) {
            display = context.terminal()
                    ? new Display.Live(context.out(), context.clock(), Terminal.colour(context), Terminal.size())
                    : new Display.Lines(context.out(), context.clock(), context.plainInterval());
            watcher = new Watcher(api, context, display, null, verbose);
        } else if (eventsOut) {
            display = Display.NONE;
            watcher = new Watcher(api, context, display, event -> format.printEvent(context.out(), event), verbose);
        } else {
            display = new Display.Lines(context.err(), context.clock(), context.plainInterval());
            watcher = new Watcher(api, context, display, null, verbose);
        }
        RolloutProgress ended;
        try {
            ended = watcher.follow(id);
        } finally {
            display.close();
        }
        if (format == Format.table) {
            summary(context.out(), ended, Terminal.colour(context));
        } else if (!eventsOut) {
            format.print(context.out(), api.get("/api/v1/rollouts/" + Base.segment(id) + "?view=summary"));
        }
        return ended.state.equals("SUCCEEDED") ? Exit.OK : Exit.CLUSTERS_FAILED;
    }

    /** {@code Rollout … FAILED after 0:31: 3 succeeded, 1 failed, 6 cancelled.} and the failed clusters. */
    static void summary(PrintWriter out, RolloutProgress p, boolean colour) {
        boolean good = p.state.equals("SUCCEEDED");
        String line = "Rollout " + p.id + " " + p.state + " after "
                + Json.duration(ProgressView.elapsed(p, p.finishedAt)) + ": " + ProgressView.states(p.counts) + "."
                + (p.message.isEmpty() || good ? "" : " " + p.message);
        out.println(colour ? (good ? Terminal.GREEN : Terminal.RED) + line + Terminal.RESET : line);
        List<RolloutProgress.Cluster> failed = p.withState("FAILED");
        int shown = 0;
        for (RolloutProgress.Cluster c : failed) {
            if (shown++ == 10) {
                out.println("  … and " + (failed.size() - 10) + " more failed: stepwise rollout get " + p.id);
                break;
            }
            out.println("  " + ProgressView.ended(c));
        }
    }
}
