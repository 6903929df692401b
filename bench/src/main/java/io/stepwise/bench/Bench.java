package io.stepwise.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.stepwise.infrastructure.Kafka;
import io.stepwise.infrastructure.LocalIssuer;
import io.stepwise.infrastructure.PlainJvmLogging;
import io.stepwise.infrastructure.Postgres;
import io.stepwise.infrastructure.ServiceProcess;
import io.stepwise.simulator.ClusterInfo;
import io.stepwise.simulator.ClusterSpec;
import io.stepwise.simulator.Durations;
import io.stepwise.simulator.SimulatorSettings;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark suite: baselines of this machine's broker and Postgres, then end-to-end throughput, dispatch
 * latency, makespan, planning and scale-out of the packaged services. Writes bench/results/latest.{json,md}.
 */
public final class Bench {

    private static final long START = System.nanoTime();
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    /** Simulated durations of the makespan phase. */
    private static final Duration BACKUP = Duration.ofMillis(200);
    private static final Duration NODE_RESTART = Duration.ofMillis(100);
    private static final Duration SYNC = Duration.ofMillis(50);
    private static final int NODES = 3;
    /** The seconds-scale makespan: what the orchestrator adds once the machine's cores are not the limit. */
    private static final Durations REAL_SCALE = new Durations(Duration.ofSeconds(2), Duration.ofSeconds(1),
            Duration.ofMillis(500));
    private static final Durations MILLIS_SCALE = new Durations(BACKUP, NODE_RESTART, SYNC);
    /** Commits per step in the cost model (see README): planner 3, executor 4. */
    private static final int COMMITS_PER_STEP = 7;
    private static final int HOPS_PER_STEP = 2;

    /** The light-load run that measures dispatch latency without queueing. */
    private static final int LIGHT_CLUSTERS = 100;
    private static final int LIGHT_PARALLEL = 4;
    /** Its own warm-up at most (rounds of 40 clusters with this parallelism), after the stack's. */
    private static final long LIGHT_WARM_UP_SECONDS = 60;
    /**
     * That warm-up ends when the compilers use fewer cores than this during one of its rounds: stricter than the
     * stack's {@link #JIT_SETTLED_CORES}, since at four steps in flight a few tenths of a core of compiling is much
     * of the work (at 0.2 the light run of run 56 still had its compilers at 0.28 of the services' 0.97 cores).
     */
    private static final double LIGHT_JIT_SETTLED_CORES = 0.1;
    /**
     * The stack's warm-up rounds have as many clusters as the throughput run has in flight (maxParallel 200): with
     * rounds of 100 the measured run's larger polls and batches still had code to compile (run 41: the executor's
     * compilers at 0.37 cores during it, quiet a minute later).
     */
    private static final int WARM_UP_CLUSTERS = 200;
    /**
     * Warm-up ends when the services' JIT compilers used fewer cores than this during a round (or after
     * {@link #WARM_UP_SECONDS}): a measured run then shows the services serving, not still compiling.
     */
    private static final double JIT_SETTLED_CORES = 0.2;
    /** The stack's warm-up at most: on this machine the compilers went quiet after 4.5 minutes (run 32). */
    private static final long WARM_UP_SECONDS = Long.parseLong(System.getProperty("bench.warmUpSeconds", "300"));
    /** The warm-up of the executor that joins for the scale-out run at most (the rest of the stack is warm). */
    private static final long SCALE_OUT_WARM_UP_SECONDS = Long.parseLong(
            System.getProperty("bench.scaleOutWarmUpSeconds", "180"));
    /**
     * Longest a throughput run may be predicted to take before fewer clusters are used: with three rollouts of N
     * clusters (throughput, makespan, scale-out) and the warm-ups this keeps the whole bench under 15 minutes.
     */
    private static final double MAX_RUN_SECONDS = Double.parseDouble(System.getProperty("bench.maxRunSeconds", "170"));

    private static long deadline;
    private static final Map<String, Object> results = new LinkedHashMap<>();
    private static final List<String> skipped = new ArrayList<>();
    /** Memory of the services after each rollout, in the order they ran. */
    private static final Map<String, Object> memory = new LinkedHashMap<>();
    private static Path jfrDir;
    /** The bench's Postgres and broker, in this JVM: the baselines and the stack share them. */
    private static Postgres postgres;
    private static Kafka kafka;
    private static LocalIssuer issuer;

    private Bench() {
    }

    static Postgres postgres() {
        return postgres;
    }

    static Kafka kafka() {
        return kafka;
    }

    /** The identity provider the planner trusts in the bench; the bench acts as an admin. */
    static LocalIssuer issuer() {
        return issuer;
    }

    static Path home() {
        return Path.of(System.getProperty("stepwise.home", "..")).toAbsolutePath().normalize();
    }

    static void progress(String format, Object... args) {
        System.out.printf("[bench %s +%4ds] %s%n", LocalTime.now().truncatedTo(ChronoUnit.SECONDS),
                (System.nanoTime() - START) / 1_000_000_000L, String.format(format, args));
        System.out.flush();
    }

    private static double remainingSeconds() {
        return (deadline - System.nanoTime()) / 1e9;
    }

    /** The broker, Postgres and the issuer in this JVM, shared by the baselines and every stack. */
    static void startServers() throws Exception {
        PlainJvmLogging.warningsOnly();
        // pg_stat_statements: the statements a step costs (statements); it costs every statement a little
        postgres = Postgres.builder().statementStatistics(true).start();
        kafka = Kafka.builder().start();
        issuer = LocalIssuer.start(null, 0);
    }

    public static void main(String[] args) throws Exception {
        startServers();
        int wanted = Integer.getInteger("bench.clusters", 1000);
        double budgetMinutes = Double.parseDouble(System.getProperty("bench.budgetMinutes", "13.5"));
        deadline = START + (long) (budgetMinutes * 60e9);
        Path out = Files.createDirectories(home().resolve("bench/results"));
        if (Boolean.parseBoolean(System.getProperty("bench.jfr", "false"))) {
            jfrDir = Files.createDirectories(home().resolve("bench/target/jfr"));
        }
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", CORES);
        machine.put("memoryMiB", memoryMiB());
        machine.put("java", System.getProperty("java.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        results.put("startedAt", Instant.now().toString());
        results.put("machine", machine);
        results.put("clustersRequested", wanted);
        results.put("jfrOnServices", jfrDir != null);
        results.put("warmUpSeconds", WARM_UP_SECONDS);
        results.put("scaleOutWarmUpSeconds", SCALE_OUT_WARM_UP_SECONDS);
        results.put("serviceJvmOptions", System.getProperty("bench.serviceJvmOptions", "").trim());
        progress("Stepwise bench: %d cores, %d clusters wanted, budget %.1f min", CORES, wanted, budgetMinutes);
        int exitCode = 0;
        try {
            run(wanted);
        } catch (Throwable t) {
            exitCode = 1;
            progress("FAILED: %s", t);
            t.printStackTrace(System.out);
            results.put("error", String.valueOf(t));
        } finally {
            results.put("memory", memory);
            results.put("skipped", skipped);
            results.put("wallSeconds", Stats.round((System.nanoTime() - START) / 1e9));
            Report.write(results, out, CORES);
            progress("wrote %s and %s", out.resolve("latest.json"), out.resolve("latest.md"));
        }
        System.exit(exitCode);
    }

    /** The bound implied by the baselines: min(Kafka hops/s / hops per step, Postgres commits/s / commits per step). */
    private static void setBound(Map<String, Object> bound, double kafkaHops, double pgCommits) {
        double kafkaBound = kafkaHops / HOPS_PER_STEP;
        double pgBound = pgCommits / COMMITS_PER_STEP;
        bound.put("kafkaStepsPerSecond", Stats.round(kafkaBound));
        bound.put("postgresStepsPerSecond", Stats.round(pgBound));
        bound.put("stepsPerSecond", Stats.round(Math.min(kafkaBound, pgBound)));
        bound.put("limitedBy", kafkaBound < pgBound ? "kafka" : "postgres");
        progress("  bound = min(%.0f hops/s / %d, %.0f commits/s / %d) = %.0f steps/s", kafkaHops, HOPS_PER_STEP,
                pgCommits, COMMITS_PER_STEP, Math.min(kafkaBound, pgBound));
    }

    /**
     * A Postgres round right before the throughput run (the stack idle), added to the baseline's rounds: the bound
     * takes the best of them all, so it reflects the machine as it is when the rate is measured, not only as it was
     * five minutes earlier.
     */
    @SuppressWarnings("unchecked")
    private static void addPostgresRoundNow(Map<String, Object> postgres, Map<String, Object> bound, double kafkaHops)
            throws Exception {
        double now = Baselines.postgresRoundNow();
        List<Double> rounds = new ArrayList<>((List<Double>) postgres.get("commitsPerSecondByRound"));
        rounds.add(now);
        double best = Math.max((double) postgres.get("commitsPerSecond"), now);
        postgres.put("commitsPerSecondByRound", rounds);
        postgres.put("commitsPerSecondBeforeThroughput", now);
        postgres.put("commitsPerSecond", best);
        progress("  postgres, one round right before the throughput run: %.0f commits/s", now);
        setBound(bound, kafkaHops, best);
    }

    private static void run(int wanted) throws Exception {
        // 1. baselines
        progress("1/6 baselines: Kafka round trip and Postgres commits on the same embedded servers");
        Map<String, Object> kafka = Baselines.kafka();
        Map<String, Object> postgres = Baselines.postgres();
        Map<String, Object> baselines = new LinkedHashMap<>();
        baselines.put("kafka", kafka);
        baselines.put("postgres", postgres);
        results.put("baselines", baselines);
        double kafkaHops = (double) ((Map<?, ?>) kafka.get("pipelined")).get("hopsPerSecond");
        Map<String, Object> bound = new LinkedHashMap<>();
        bound.put("model", "per step, counted as if it ran alone: planner = 1 status transaction + 1 dispatch (outbox)"
                + " + 1 relay marking commit; executor = 1 ledger insert (which also marks the step started when a worker"
                + " is free) + 1 finished transaction + 2 relay commits;"
                + " = " + COMMITS_PER_STEP + " commits and " + HOPS_PER_STEP + " Kafka hops (step request, status);"
                + " under load steps share transactions (the commits observed)");
        bound.put("commitsPerStep", COMMITS_PER_STEP);
        bound.put("hopsPerStep", HOPS_PER_STEP);
        setBound(bound, kafkaHops, (double) postgres.get("commitsPerSecond"));
        results.put("bound", bound);

        // Every phase runs on one stack, warmed up once: a service that has run for minutes, as in production, not
        // one still compiling its hot code (which on two busy cores took a quarter of the CPU after four minutes).
        try (Stack stack = new Stack("bench", SimulatorSettings.instant(), jfrDir).start()) {
            progress("  stack up: planner pid %d, executor pid %d", stack.planner().pid(), stack.executors().get(0).pid());
            // the previews' allocation is counted with a JFR recording: JFR's start-up belongs in the warm-up
            Allocation.prime(stack.planner());
            // 2 + 3. throughput and dispatch latency
            progress("2/6 end-to-end step throughput (instant simulator, maxParallel 200, one executor)");
            results.put("warmUp", warmUp(label -> throughputRun(stack, label, WARM_UP_CLUSTERS, 200), WARM_UP_SECONDS,
                    JIT_SETTLED_CORES));
            Map<String, Object> pilot = throughputRun(stack, "pilot", 100, 200);
            Map<String, Object> afterPilot = memoryOf(stack, "pilot");
            memory.put("afterWarmUpAndPilot", afterPilot);
            int n = chooseN(wanted, pilot, MAX_RUN_SECONDS);
            results.put("clustersUsed", n);
            addPostgresRoundNow(postgres, bound, kafkaHops);
            Map<String, Object> one = throughputRun(stack, "t", n, 200);
            Map<String, Object> afterRun = memoryOf(stack, "throughput");
            memory.put("afterThroughput (+" + n + " clusters)", afterRun);
            memory.put("executorHeapPerClusterKiB", heapPerClusterKib(afterPilot, afterRun, "executor", n));
            memory.put("plannerHeapPerClusterKiB", heapPerClusterKib(afterPilot, afterRun, "planner", n));
            one.put("pilot", pilot);
            results.put("throughput", one);
            double rate = (double) one.get("stepsPerSecond");
            double stepsBound = (double) bound.get("stepsPerSecond");
            bound.put("measuredOverBound", Stats.round(rate / stepsBound));
            results.put("dispatchLatency", one.remove("dispatchLatency"));
            progress("  %d clusters: %.1f steps/s (%.2f of the bound); dispatch latency %s", n, rate,
                    rate / stepsBound, results.get("dispatchLatency"));
            progress("  where it goes: %s", one.get("dispatchBreakdown"));
            // Under the throughput run the latency is mostly queueing (Little's law: steps in flight / rate);
            // a light load shows what the pipeline itself adds between two steps of a cluster.
            progress("3/6 dispatch latency under light load (%d clusters, maxParallel %d)", LIGHT_CLUSTERS,
                    LIGHT_PARALLEL);
            // one status event per poll takes paths the batched rounds never compiled: warm those up too
            results.put("warmUpLightLoad", warmUp(label -> throughputRun(stack, "l" + label, 40, LIGHT_PARALLEL),
                    LIGHT_WARM_UP_SECONDS, LIGHT_JIT_SETTLED_CORES));
            Map<String, Object> light = throughputRun(stack, "light", LIGHT_CLUSTERS, LIGHT_PARALLEL);
            results.put("dispatchLatencyLightLoad", light.remove("dispatchLatency"));
            results.put("dispatchBreakdownLightLoad", light.get("dispatchBreakdown"));
            results.put("lightLoad", compact(light));
            progress("  light load: dispatch latency %s", results.get("dispatchLatencyLightLoad"));
            progress("  light load: where it goes %s", light.get("dispatchBreakdown"));
            memory.put("afterLightLoad (+" + LIGHT_CLUSTERS + " clusters)", memoryOf(stack, "light"));

            // 4 + 5. makespan (clusters with durations of their own), then planning
            double perCluster = (double) one.get("stepsPerCluster");
            double lbEstimate = n * (BACKUP.toMillis() + NODES * NODE_RESTART.toMillis() + SYNC.toMillis()) / 100_000.0;
            // + 60 s: its 100-cluster pilot and the idle-pipeline run
            double makespanEstimate = Math.max(lbEstimate, n * perCluster / rate) + 60;
            if (remainingSeconds() < makespanEstimate + 60) {
                skipped.add("4 makespan and 5 planning: about " + Math.round(makespanEstimate) + " s needed, "
                        + Math.round(remainingSeconds()) + " s left in the budget");
                progress("4/6 skipped: out of time");
            } else {
                progress("4/6 makespan (backup 200 ms, node restart 100 ms x 3 nodes, sync 50 ms; maxParallel 100)");
                Map<String, Object> makespanPilot = makespanRun(stack, "mpilot", 100, 100, MILLIS_SCALE);
                results.put("makespanPilot", Map.of("clusters", 100, "makespanSeconds",
                        makespanPilot.get("makespanSeconds"), "ratio", makespanPilot.get("ratio")));
                results.put("makespan", makespanRun(stack, "ms", n, 100, MILLIS_SCALE));
                memory.put("afterMakespan (+" + n + " clusters)", memoryOf(stack, "makespan"));
                // Real steps take seconds to hours, so between two steps the pipeline is mostly idle: the
                // latency users see. The light load above keeps the machine busy with instant steps.
                progress("  dispatch latency on an idle pipeline (%d clusters with the makespan's durations,"
                        + " maxParallel %d)", LIGHT_CLUSTERS, LIGHT_PARALLEL);
                Map<String, Object> idle = makespanRun(stack, "idle", LIGHT_CLUSTERS, LIGHT_PARALLEL, MILLIS_SCALE);
                results.put("dispatchLatencyIdle", idle.remove("dispatchLatency"));
                results.put("idle", idle);
                progress("  idle pipeline: dispatch latency %s, where it goes %s", results.get("dispatchLatencyIdle"),
                        idle.get("dispatchBreakdown"));
                if (remainingSeconds() > 200) {
                    progress("  makespan in seconds (backup 2 s, hop 3 x 1 s, sync 0.5 s; %d clusters, maxParallel 100)", n);
                    results.put("makespanSeconds", makespanRun(stack, "msec", n, 100, REAL_SCALE));
                } else {
                    skipped.add("4b makespan in seconds: " + Math.round(remainingSeconds()) + " s left in the budget");
                }
                progress("5/6 planning preview of 10,000 inline clusters");
                results.put("planning", planning(stack));
            }
            progress("  memory: %s", memory);

            // 6. scale-out: a second executor joins the group; it warms up (the rest is warm), then the same run
            double sixEstimate = 30 + SCALE_OUT_WARM_UP_SECONDS + n * perCluster / (0.75 * rate) + 20;
            if (remainingSeconds() < sixEstimate) {
                skipped.add("6 scale-out: about " + Math.round(sixEstimate) + " s needed, " + Math.round(remainingSeconds())
                        + " s left in the budget");
                progress("6/6 skipped: out of time");
            } else {
                progress("6/6 scale-out: a second executor joins the consumer group (12 partitions), then the throughput run");
                ServiceProcess second = stack.addExecutor();
                progress("  executor-2 up: pid %d", second.pid());
                results.put("warmUpScaleOut", warmUp(label -> throughputRun(stack, "s" + label, 100, 200),
                        SCALE_OUT_WARM_UP_SECONDS, JIT_SETTLED_CORES));
                throughputRun(stack, "pilot2", 100, 200);
                Map<String, Object> two = throughputRun(stack, "t2", n, 200);
                two.remove("dispatchLatency");
                Map<String, Object> scale = new LinkedHashMap<>();
                scale.put("oneExecutor", compact(one));
                scale.put("twoExecutors", compact(two));
                double ratio = (double) two.get("stepsPerSecond") / (double) one.get("stepsPerSecond");
                scale.put("ratio", Stats.round(ratio));
                results.put("scaleOut", scale);
                progress("  two executors / one = %.2f", ratio);
            }
        }
    }

    /** One warm-up round: a rollout whose figures include {@code cpu.servicesJitCores}. */
    private interface Round {
        Map<String, Object> run(String label) throws Exception;
    }

    /**
     * Warms the services up. A JVM compiles its hot code for minutes after it starts, and on two busy cores its
     * JIT compilers took up to half of the planner's CPU still two minutes in: a run measured then shows a
     * service compiling, not serving. Rounds run until the services' compilers use fewer than
     * {@code settledCores} during one, or for {@code atMostSeconds}.
     */
    private static List<Map<String, Object>> warmUp(Round round, long atMostSeconds, double settledCores)
            throws Exception {
        List<Map<String, Object>> rounds = new ArrayList<>();
        long until = System.nanoTime() + atMostSeconds * 1_000_000_000L;
        for (int i = 1; ; i++) {
            Map<String, Object> r = round.run("w" + i);
            double jit = (double) ((Map<?, ?>) r.get("cpu")).get("servicesJitCores");
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("clusters", r.get("clusters"));
            figures.put("servicesJitCores", jit);
            rounds.add(figures);
            progress("  warm-up round %d: the services' JIT compilers used %.2f cores", i, jit);
            if (jit < settledCores || System.nanoTime() > until) {
                return rounds;
            }
        }
    }

    private static Map<String, Object> compact(Map<String, Object> run) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : List.of("clusters", "maxParallel", "stepsSucceeded", "wallSeconds", "stepsPerSecond", "cpu")) {
            m.put(k, run.get(k));
        }
        return m;
    }

    /** The cluster count to use: as many as wanted, fewer if the pilot's rate says it would take longer than maxSeconds. */
    private static int chooseN(int wanted, Map<String, Object> pilot, double maxSeconds) {
        double rate = (double) pilot.get("stepsPerSecond");
        double perCluster = (double) pilot.get("stepsPerCluster");
        double estimate = wanted * perCluster / rate;
        if (estimate <= maxSeconds) {
            progress("  %d clusters should take about %.0f s", wanted, estimate);
            return wanted;
        }
        int n = Math.max(100, (int) (maxSeconds * rate / perCluster) / 50 * 50);
        progress("  %d clusters would take about %.0f s at the pilot's %.0f steps/s: using %d", wanted, estimate, rate, n);
        results.put("clustersFallbackReason", String.format("%d clusters estimated at %.0f s (> %.0f s) from the pilot",
                wanted, estimate, maxSeconds));
        return n;
    }

    /** Clusters taking {@code durations} (null: the simulator's, instant) to back up, restart a node, catch up. */
    private static List<ClusterInfo> createClusters(Stack stack, String prefix, int n, String version,
                                                    Durations durations) throws Exception {
        List<ClusterInfo> clusters = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            clusters.add(stack.simulator.createCluster(ClusterSpec.weaviate(prefix + "-" + i, version, NODES,
                    "kubernetes").withCollections(Map.of("Article", 1000L)).withDurations(durations)));
        }
        stack.register(clusters, Map.of("bench", prefix));
        return clusters;
    }

    private static Map<String, Object> rolloutBody(String selector, int maxParallel, int clusters) {
        return Map.of("product", "weaviate", "targetVersion", "1.30", "selector", "bench=" + selector,
                "strategy", Map.of("maxParallel", maxParallel, "failurePolicy", Map.of("maxFailedClusters", clusters)));
    }

    /** One rollout of n clusters 1.29.11 -> 1.30 on the stack's simulator; step rate and dispatch latency. */
    static Map<String, Object> throughputRun(Stack stack, String label, int n, int maxParallel) throws Exception {
        String prefix = stack.name.substring(0, 2) + label;
        long t = System.nanoTime();
        createClusters(stack, prefix, n, "1.29.11", null);
        progress("  [%s] %d clusters created and registered in %.1f s", label, n, (System.nanoTime() - t) / 1e9);
        Cpu cpu = Cpu.start(stack);
        Map<String, Long> commits0 = commits(stack);
        resetStatements();
        long sent = System.nanoTime();
        String id = stack.startRollout(rolloutBody(prefix, maxParallel, n));
        Instant accepted = Instant.now();
        double acceptSeconds = (System.nanoTime() - sent) / 1e9;
        long runDeadline = Math.min(deadline, System.nanoTime() + 420_000_000_000L);
        JsonNode view = stack.awaitFinished(id, runDeadline, label);
        Map<String, Object> cpuFigures = cpu.stop();
        Thread.sleep(600);   // pg_stat counters are flushed within 0.5 s
        Map<String, Long> commits1 = commits(stack);

        StepTimes times = StepTimes.of(view);
        int steps = times.steps(), succeeded = times.succeeded();
        Instant lastFinish = times.lastFinish().isAfter(accepted) ? times.lastFinish() : accepted;
        Instant finished = view.hasNonNull("finishedAt") ? Instant.parse(view.get("finishedAt").asText()) : lastFinish;
        double wall = Duration.between(accepted, finished).toNanos() / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clusters", n);
        m.put("maxParallel", maxParallel);
        m.put("executors", stack.executors().size());
        m.put("state", view.get("state").asText());
        m.put("counts", Stack.JSON.convertValue(view.get("counts"), Map.class));
        m.put("steps", steps);
        m.put("stepsSucceeded", succeeded);
        m.put("stepsPerCluster", Stats.round((double) steps / n));
        m.put("plan", planOf(view));
        m.put("acceptSeconds", Stats.round(acceptSeconds));
        m.put("wallSeconds", Stats.round(wall));
        m.put("stepsPerSecond", Stats.round(succeeded / wall));
        m.put("cpu", cpuFigures);
        Map<String, Object> commitFigures = new LinkedHashMap<>();
        commitFigures.put("planner", commits1.get(stack.plannerDb) - commits0.get(stack.plannerDb));
        commitFigures.put("executor", commits1.get(stack.executorDb) - commits0.get(stack.executorDb));
        commitFigures.put("perStepPlanner", Stats.round((double) (long) commitFigures.get("planner") / Math.max(1, succeeded)));
        commitFigures.put("perStepExecutor", Stats.round((double) (long) commitFigures.get("executor") / Math.max(1, succeeded)));
        m.put("commitsObserved", commitFigures);
        m.put("statementsObserved", statements(stack, succeeded));
        m.put("dispatchLatency", times.dispatchSummary());
        m.put("dispatchBreakdown", DispatchBreakdown.of(stack, id));
        m.put("stepRunTime", times.runTimeSummary());
        m.put("stepRunTimeByKind", times.runTimeByKindSummary());
        progress("  [%s] step run time (startedAt -> finishedAt) %s, by kind %s", label, m.get("stepRunTime"),
                m.get("stepRunTimeByKind"));
        progress("  [%s] %s in %.1f s: %d/%d steps succeeded, %.1f steps/s, cpu %s, commits %s", label,
                view.get("state").asText(), wall, succeeded, steps, succeeded / wall, cpuFigures, commitFigures);
        return m;
    }

    private static String planOf(JsonNode view) {
        for (JsonNode c : view.get("clusters")) {
            List<String> kinds = new ArrayList<>();
            for (JsonNode s : c.get("steps")) {
                kinds.add(s.get("kind").asText() + (s.hasNonNull("toVersion") ? " " + s.get("toVersion").asText() : ""));
            }
            return String.join(", ", kinds);
        }
        return "";
    }

    /** The makespan of n clusters with simulated durations against the lower bound from their plans. */
    private static Map<String, Object> makespanRun(Stack stack, String label, int n, int maxParallel, Durations durations)
            throws Exception {
        long t = System.nanoTime();
        createClusters(stack, label, n, "1.29.11", durations);
        progress("  %d clusters created and registered in %.1f s", n, (System.nanoTime() - t) / 1e9);
        Cpu cpu = Cpu.start(stack);
        String id = stack.startRollout(rolloutBody(label, maxParallel, n));
        Instant accepted = Instant.now();
        JsonNode view = stack.awaitFinished(id, Math.min(deadline - 150_000_000_000L,
                System.nanoTime() + 420_000_000_000L), label);
        Map<String, Object> cpuFigures = cpu.stop();
        StepTimes times = StepTimes.of(view);
        double longest = 0, total = 0;
        for (JsonNode c : view.get("clusters")) {
            double chain = 0;
            for (JsonNode s : c.get("steps")) {
                chain += simulatedMillis(s.get("kind").asText(), durations);
            }
            longest = Math.max(longest, chain);
            total += chain;
        }
        double lowerBound = Math.max(longest, total / maxParallel) / 1000;
        Instant finished = view.hasNonNull("finishedAt") ? Instant.parse(view.get("finishedAt").asText()) : Instant.now();
        double makespan = Duration.between(accepted, finished).toNanos() / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clusters", n);
        m.put("maxParallel", maxParallel);
        m.put("state", view.get("state").asText());
        m.put("stepsSucceeded", times.succeeded());
        m.put("steps", times.steps());
        m.put("plan", planOf(view));
        m.put("durationModel", "BACKUP " + durations.backup().toMillis() + " ms, UPGRADE/DOWNGRADE/RAFT_MIGRATION "
                + NODES + " x " + durations.nodeRestart().toMillis() + " ms, SYNC_CHECK " + durations.sync().toMillis()
                + " ms, others 0");
        m.put("longestChainSeconds", Stats.round(longest / 1000));
        m.put("totalWorkSeconds", Stats.round(total / 1000));
        m.put("lowerBoundSeconds", Stats.round(lowerBound));
        m.put("makespanSeconds", Stats.round(makespan));
        m.put("ratio", Stats.round(makespan / lowerBound));
        m.put("cpu", cpuFigures);
        m.put("dispatchLatency", times.dispatchSummary());
        m.put("dispatchBreakdown", DispatchBreakdown.of(stack, id));
        m.put("stepRunTime", times.runTimeSummary());
        m.put("stepRunTimeByKind", times.runTimeByKindSummary());
        m.put("perCluster", times.perClusterMeans());
        progress("  [%s] step run time by kind %s; per cluster %s", label, m.get("stepRunTimeByKind"),
                m.get("perCluster"));
        progress("  [%s] makespan %.1f s vs lower bound %.1f s: %.2fx (%s)", label, makespan, lowerBound, makespan / lowerBound,
                view.get("state").asText());
        return m;
    }

    private static double simulatedMillis(String kind, Durations durations) {
        return switch (kind) {
            case "BACKUP", "RESTORE" -> durations.backup().toMillis();
            case "UPGRADE", "DOWNGRADE", "RAFT_MIGRATION" -> NODES * durations.nodeRestart().toMillis();
            case "SYNC_CHECK" -> durations.sync().toMillis();
            default -> 0;
        };
    }

    /** Each service's resident memory and its heap in use after a full collection (what it retains). */
    private static Map<String, Object> memoryOf(Stack stack, String label) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<ServiceProcess> services = new ArrayList<>(List.of(stack.planner()));
        services.addAll(stack.executors());
        for (ServiceProcess s : services) {
            m.put(s.name(), Map.of("rssKiB", ProcStats.rssKib(s.pid()), "heapAfterGcKiB", ProcStats.heapAfterGcKib(s, label)));
        }
        return m;
    }

    /** Heap kept per cluster that went through a service between two {@link #memoryOf} snapshots. */
    private static double heapPerClusterKib(Map<String, Object> before, Map<String, Object> after, String service,
                                            int clusters) {
        return Stats.round((heapKib(after, service) - heapKib(before, service)) / (double) clusters);
    }

    private static long heapKib(Map<String, Object> snapshot, String service) {
        return (long) ((Map<?, ?>) snapshot.get(service)).get("heapAfterGcKiB");
    }

    /**
     * Preview of 10,000 inline clusters of mixed versions: median of 5 after {@value #PREVIEW_WARM_UPS} warm-ups, summary
     * and full view, and what the planner allocated per call. The first call is reported too: it runs code the JIT
     * has not compiled yet (after 2 warm-ups the measured calls still fell from 1.2 s to 0.46 s on 2 cores).
     */
    private static final int PREVIEW_WARM_UPS = 5;

    private static Map<String, Object> planning(Stack stack) throws Exception {
        String[] versions = {"1.20.6", "1.21.9", "1.22.5", "1.23.10", "1.23.16", "1.24.10", "1.25.3", "1.25.34",
                "1.26.5", "1.27.27", "1.28.16", "1.29.11", "1.30.5", "1.30.23"};
        List<Map<String, Object>> clusters = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            Map<String, Object> c = new HashMap<>();
            c.put("id", "p-" + i);
            c.put("version", versions[i % versions.length]);
            c.put("nodes", 1 + i % 5);
            c.put("deployment", i % 7 == 0 ? "docker" : "kubernetes");
            clusters.add(c);
        }
        String body = Stack.JSON.writeValueAsString(Map.of("product", "weaviate", "targetVersion", "1.30",
                "clusters", clusters));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clusters", 10_000);
        m.put("requestBytes", body.length());
        for (String view : List.of("summary", "full")) {
            String path = "/api/v1/plans/preview" + ("summary".equals(view) ? "?view=summary" : "");
            List<Double> times = new ArrayList<>();
            int size = 0, plans = 0, refusals = 0;
            double first = 0;
            Allocation allocation = null;
            for (int i = 0; i < PREVIEW_WARM_UPS + 5; i++) {
                if (i == PREVIEW_WARM_UPS) {
                    allocation = Allocation.start(stack.planner(), "preview-" + view);
                }
                long t = System.nanoTime();
                HttpResponse<InputStream> r = Stack.HTTP.send(HttpRequest.newBuilder(URI.create(stack.planner().url() + path))
                        .header("Content-Type", "application/json").header("Authorization", Stack.admin())
                        .timeout(Duration.ofMinutes(2))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
                // The answer is read to its end and dropped, as `curl -o /dev/null` would: the time is the planner's
                // (and the transfer's), not this JVM's building a 32 MB string, which on the shared cores measured
                // the bench's own collector as much as the planner.
                byte[] kept = i == 0 || r.statusCode() != 200 ? r.body().readAllBytes() : null;
                long bytes = kept != null ? kept.length : r.body().transferTo(OutputStream.nullOutputStream());
                double ms = (System.nanoTime() - t) / 1e6;
                if (r.statusCode() != 200) {
                    String text = new String(kept, StandardCharsets.UTF_8);
                    throw new IllegalStateException("preview " + view + ": " + r.statusCode() + " "
                            + text.substring(0, Math.min(500, text.length())));
                }
                if (i >= PREVIEW_WARM_UPS) {
                    times.add(ms);
                }
                if (i == 0) {
                    first = ms;
                    JsonNode answer = Stack.JSON.readTree(kept);
                    size = (int) bytes;
                    plans = answer.get("plans").size();
                    refusals = answer.get("refusals").size();
                }
            }
            // the planner's whole process, over the measured calls: the preview's own allocation, and little else
            double allocatedMiB = allocation.stop() / 1024.0 / 1024.0 / times.size();
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("medianMs", Stats.round(Stats.median(times)));
            v.put("allocatedMiBPerCall", Stats.round(allocatedMiB));
            v.put("runsMs", times.stream().map(Stats::round).toList());
            v.put("firstCallMs", Stats.round(first));
            v.put("responseBytes", size);
            v.put("plans", plans);
            v.put("refusals", refusals);
            m.put(view, v);
            progress("  preview view=%s: median %.0f ms, first call %.0f ms, %.0f MiB allocated per call (%d plans,"
                    + " %d refusals, %d bytes)", view, Stats.median(times), first, allocatedMiB, plans, refusals, size);
        }
        memory.put("afterPreviews", memoryOf(stack, "previews"));
        progress("  memory after the makespan rollout and the previews: %s", memory);
        return m;
    }

    /** Committed transactions per database so far (pg_stat_database). */
    private static Map<String, Long> commits(Stack stack) throws Exception {
        Map<String, Long> m = new HashMap<>();
        try (Connection c = Bench.postgres().connect("postgres");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select datname, xact_commit from pg_stat_database")) {
            while (rs.next()) {
                m.put(rs.getString(1), rs.getLong(2));
            }
        }
        m.putIfAbsent(stack.plannerDb, 0L);
        m.putIfAbsent(stack.executorDb, 0L);
        return m;
    }

    private static void resetStatements() throws Exception {
        try (Connection c = Bench.postgres().connect("postgres"); Statement s = c.createStatement()) {
            s.execute("create extension if not exists pg_stat_statements");
            s.execute("select pg_stat_statements_reset()");
        }
    }

    /**
     * SQL statements per succeeded step since {@link #resetStatements}, by service, with each service's most
     * frequent ones and the ones that took most of Postgres's time (pg_stat_statements): where an N+1 query, a
     * chatty transaction or one costly query would show. The planner's include the bench's own polls of the
     * rollout's summary (one a second).
     */
    private static Map<String, Object> statements(Stack stack, int steps) throws Exception {
        record Row(long calls, double ms, String query) {
            /** Calls per step, mean ms, and the statement, a select's column list elided (its tables tell it apart). */
            String describe(int steps) {
                String shown = query.replaceFirst("(?i)^select (.{40}).*? from ", "select $1… from ");
                return String.format(Locale.ROOT, "%.2f/step %.3f ms: %s", calls / (double) Math.max(1, steps),
                        ms / Math.max(1, calls), shown.substring(0, Math.min(200, shown.length())));
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        try (Connection c = Bench.postgres().connect("postgres");
             PreparedStatement q = c.prepareStatement("select s.calls, s.total_exec_time, s.query"
                     + " from pg_stat_statements s join pg_database d on d.oid = s.dbid where d.datname = ?")) {
            for (Map.Entry<String, String> service : Map.of("planner", stack.plannerDb,
                    "executor", stack.executorDb).entrySet()) {
                q.setString(1, service.getValue());
                List<Row> rows = new ArrayList<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Row(rs.getLong(1), rs.getDouble(2), rs.getString(3).replaceAll("\\s+", " ")));
                    }
                }
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("perStep", Stats.round(rows.stream().mapToLong(Row::calls).sum() / (double) Math.max(1, steps)));
                one.put("execMsPerStep", Stats.round(rows.stream().mapToDouble(Row::ms).sum() / Math.max(1, steps)));
                one.put("mostFrequent", rows.stream().sorted(Comparator.comparingLong(Row::calls).reversed()).limit(12)
                        .map(r -> r.describe(steps)).toList());
                one.put("mostTime", rows.stream().sorted(Comparator.comparingDouble(Row::ms).reversed()).limit(8)
                        .map(r -> r.describe(steps)).toList());
                m.put(service.getKey(), one);
            }
        }
        return m;
    }

    private static long memoryMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (Exception ignored) {
            // not Linux
        }
        return -1;
    }

    /** CPU used during a run: the whole machine, each service, this JVM (broker + simulator), the postgres processes. */
    record Cpu(Stack stack, long wallStart, long[] machine, double planner, double[] executors, double jit, double self,
               double pg) {

        static Cpu start(Stack stack) {
            double[] ex = stack.executors().stream().mapToDouble(e -> ProcStats.cpuSeconds(e.pid())).toArray();
            return new Cpu(stack, System.nanoTime(), ProcStats.machine(), ProcStats.cpuSeconds(stack.planner().pid()), ex,
                    servicesJit(stack), ProcStats.cpuSeconds(ProcessHandle.current().pid()),
                    ProcStats.cpuSecondsOf("postgres"));
        }

        /** CPU seconds the planner's and executors' JIT compilers used so far. */
        private static double servicesJit(Stack stack) {
            return ProcStats.jitCpuSeconds(stack.planner().pid())
                    + stack.executors().stream().mapToDouble(e -> ProcStats.jitCpuSeconds(e.pid())).sum();
        }

        Map<String, Object> stop() {
            double wall = (System.nanoTime() - wallStart) / 1e9;
            long[] now = ProcStats.machine();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("machineBusy", Stats.round((double) (now[0] - machine[0]) / Math.max(1, now[1] - machine[1])));
            m.put("plannerCores", Stats.round((ProcStats.cpuSeconds(stack.planner().pid()) - planner) / wall));
            for (int i = 0; i < executors.length; i++) {
                m.put(stack.executors().get(i).name() + "Cores",
                        Stats.round((ProcStats.cpuSeconds(stack.executors().get(i).pid()) - executors[i]) / wall));
            }
            m.put("servicesJitCores", Stats.round((servicesJit(stack) - jit) / wall));
            m.put("benchJvmCores(broker+simulator)",
                    Stats.round((ProcStats.cpuSeconds(ProcessHandle.current().pid()) - self) / wall));
            m.put("postgresCores", Stats.round((ProcStats.cpuSecondsOf("postgres") - pg) / wall));
            return m;
        }
    }
}
