package io.stepwise.bench;

import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** bench/results/latest.json and latest.md: every figure with the core count and the same run's baselines. */
final class Report {

    private Report() {
    }

    @SuppressWarnings("unchecked")
    private static Object at(Map<String, Object> root, String... path) {
        Object o = root;
        for (String p : path) {
            if (!(o instanceof Map)) {
                return null;
            }
            o = ((Map<String, Object>) o).get(p);
        }
        return o;
    }

    private static Double num(Map<String, Object> root, String... path) {
        Object o = at(root, path);
        return o instanceof Number n ? n.doubleValue() : null;
    }

    static void write(Map<String, Object> results, Path dir, int cores) throws IOException {
        List<Map<String, Object>> targets = new ArrayList<>();
        target(targets, "end-to-end step transitions/s", num(results, "throughput", "stepsPerSecond"), ">=", 1000,
                "steps/s");
        target(targets, "end-to-end / bound", num(results, "bound", "measuredOverBound"), ">=", 0.5, "");
        target(targets, "dispatch latency p99 (throughput run, maxParallel 200)", num(results, "dispatchLatency", "p99Ms"),
                "<=", 50, "ms");
        target(targets, "dispatch latency p99 (light load, maxParallel 4)",
                num(results, "dispatchLatencyLightLoad", "p99Ms"), "<=", 50, "ms");
        target(targets, "dispatch latency p99 (idle pipeline: maxParallel 4, simulated step durations)",
                num(results, "dispatchLatencyIdle", "p99Ms"), "<=", 50, "ms");
        target(targets, "makespan / lower bound", num(results, "makespan", "ratio"), "<=", 1.05, "");
        target(targets, "makespan / lower bound, steps of seconds (backup 2 s, hop 3 s, sync 0.5 s)",
                num(results, "makespanSeconds", "ratio"), "<=", 1.05, "");
        target(targets, "preview 10,000 clusters, view=summary (median)", num(results, "planning", "summary", "medianMs"),
                "<=", 1000, "ms");
        target(targets, "preview 10,000 clusters, view=full (median)", num(results, "planning", "full", "medianMs"),
                "<=", 1000, "ms");
        target(targets, "two executors / one", num(results, "scaleOut", "ratio"), ">=", 1.6, "");
        results.put("targets", targets);
        Stack.JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("latest.json").toFile(), results);
        Files.writeString(dir.resolve("latest.md"), markdown(results, targets, cores));
    }

    private static void target(List<Map<String, Object>> targets, String name, Double value, String op, double goal,
                               String unit) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("metric", name);
        t.put("value", value);
        t.put("target", op + " " + fmt(goal) + (unit.isEmpty() ? "" : " " + unit));
        t.put("status", value == null || value.isNaN() ? "not measured"
                : (">=".equals(op) ? value >= goal : value <= goal) ? "met" : "missed");
        targets.add(t);
    }

    private static String fmt(Object v) {
        if (v == null) {
            return "–";
        }
        if (v instanceof Double d) {
            if (d.isNaN()) {
                return "–";
            }
            return d == Math.rint(d) && Math.abs(d) < 1e12 ? String.format("%,d", d.longValue())
                    : Math.abs(d) >= 100 ? String.format("%,.0f", d) : String.format("%.2f", d);
        }
        if (v instanceof Number n) {
            return String.format("%,d", n.longValue());
        }
        return String.valueOf(v);
    }

    private static String markdown(Map<String, Object> r, List<Map<String, Object>> targets, int cores) {
        StringBuilder md = new StringBuilder();
        md.append("# Stepwise bench: latest run\n\n");
        md.append("Run ").append(r.get("startedAt")).append(" on **").append(cores).append(" cores**, ")
                .append(fmt(at(r, "machine", "memoryMiB"))).append(" MiB, Java ").append(at(r, "machine", "java"))
                .append("; ").append(fmt(r.get("clustersUsed"))).append(" clusters used (")
                .append(fmt(r.get("clustersRequested"))).append(" requested); whole bench ")
                .append(fmt(r.get("wallSeconds"))).append(" s; JFR on the services: ").append(r.get("jfrOnServices"))
                .append("; one stack for every phase, warmed up for at most ").append(fmt(r.get("warmUpSeconds")))
                .append(" s (the executor joining for the scale-out: ").append(fmt(r.get("scaleOutWarmUpSeconds")))
                .append(" s)")
                .append(String.valueOf(r.get("serviceJvmOptions")).isEmpty() ? ""
                        : "; extra service JVM options: `" + r.get("serviceJvmOptions") + "`")
                .append(".\n\n");
        md.append("## Targets\n\n| metric | measured | target | status |\n|---|---|---|---|\n");
        for (Map<String, Object> t : targets) {
            md.append("| ").append(t.get("metric")).append(" | ").append(fmt(t.get("value"))).append(" | ")
                    .append(t.get("target")).append(" | ").append(t.get("status")).append(" |\n");
        }
        md.append("\n## Figures (").append(cores).append(" cores, baselines from this same run)\n\n");
        md.append("| figure | value |\n|---|---|\n");
        row(md, "Kafka round trip, 1 in flight: p50 / p95 / p99 ms", triple(r, "baselines", "kafka", "oneInFlight"));
        row(md, "Kafka round trip, 1 in flight: round trips/s", fmt(at(r, "baselines", "kafka", "oneInFlight", "roundTripsPerSecond")));
        row(md, "Kafka round trip, 500 in flight: round trips/s (hops/s)",
                fmt(at(r, "baselines", "kafka", "pipelined", "roundTripsPerSecond")) + " ("
                        + fmt(at(r, "baselines", "kafka", "pipelined", "hopsPerSecond")) + ")");
        row(md, "Kafka round trip, 500 in flight: p50 / p95 / p99 ms", triple(r, "baselines", "kafka", "pipelined"));
        row(md, "Postgres one-row commits/s, 1 connection, best of its rounds (each round: three at the start, the last right"
                        + " before the throughput run; p50 / p99 ms of the first three)",
                fmt(at(r, "baselines", "postgres", "commitsPerSecond")) + " (" + at(r, "baselines", "postgres",
                        "commitsPerSecondByRound") + "; " + fmt(at(r, "baselines", "postgres", "p50Ms"))
                        + " / " + fmt(at(r, "baselines", "postgres", "p99Ms")) + ")");
        row(md, "Cost model", String.valueOf(at(r, "bound", "model")));
        row(md, "Bound: min(Kafka hops/s / " + fmt(at(r, "bound", "hopsPerStep")) + ", PG commits/s / "
                        + fmt(at(r, "bound", "commitsPerStep")) + ") steps/s",
                "min(" + fmt(at(r, "bound", "kafkaStepsPerSecond")) + ", " + fmt(at(r, "bound", "postgresStepsPerSecond"))
                        + ") = " + fmt(at(r, "bound", "stepsPerSecond")) + " (" + at(r, "bound", "limitedBy") + ")");
        row(md, "Plan per cluster (throughput runs)", String.valueOf(at(r, "throughput", "plan")));
        row(md, "Warm-up before measuring: the services' JIT compiler cores in each round (the stack, 200 clusters; "
                + "before the light load, 40 clusters 4 at a time; after the second executor joined, 100 clusters)",
                jitRounds(r, "warmUp") + "; " + jitRounds(r, "warmUpLightLoad") + "; " + jitRounds(r, "warmUpScaleOut"));
        row(md, "End-to-end: clusters / steps succeeded / wall s",
                fmt(at(r, "throughput", "clusters")) + " / " + fmt(at(r, "throughput", "stepsSucceeded")) + " / "
                        + fmt(at(r, "throughput", "wallSeconds")));
        row(md, "End-to-end steps/s (measured / bound)", fmt(at(r, "throughput", "stepsPerSecond")) + " ("
                + fmt(at(r, "bound", "measuredOverBound")) + ")");
        row(md, "End-to-end: POST /rollouts answered in s", fmt(at(r, "throughput", "acceptSeconds")));
        row(md, "End-to-end: commits observed per step (planner / executor)",
                fmt(at(r, "throughput", "commitsObserved", "perStepPlanner")) + " / "
                        + fmt(at(r, "throughput", "commitsObserved", "perStepExecutor")));
        row(md, "End-to-end: SQL statements per step, planner / executor (their execution ms per step)",
                fmt(at(r, "throughput", "statementsObserved", "planner", "perStep")) + " / "
                        + fmt(at(r, "throughput", "statementsObserved", "executor", "perStep")) + " ("
                        + fmt(at(r, "throughput", "statementsObserved", "planner", "execMsPerStep")) + " / "
                        + fmt(at(r, "throughput", "statementsObserved", "executor", "execMsPerStep")) + ")");
        row(md, "End-to-end: CPU (cores busy by process; machine busy fraction)", String.valueOf(at(r, "throughput", "cpu")));
        row(md, "Dispatch latency p50 / p95 / p99 ms (instant steps)", triple(r, "dispatchLatency"));
        row(md, "Dispatch latency, light load (" + fmt(at(r, "lightLoad", "clusters")) + " clusters, maxParallel "
                + fmt(at(r, "lightLoad", "maxParallel")) + "): p50 / p95 / p99 ms",
                triple(r, "dispatchLatencyLightLoad"));
        row(md, "Dispatch latency, idle pipeline (" + fmt(at(r, "idle", "clusters")) + " clusters, maxParallel "
                + fmt(at(r, "idle", "maxParallel")) + ", the makespan's step durations; machine busy "
                + fmt(at(r, "idle", "cpu", "machineBusy")) + "): p50 / p95 / p99 ms", triple(r, "dispatchLatencyIdle"));
        for (String segment : DispatchBreakdown.SEGMENTS) {
            row(md, "Dispatch latency, segment " + segment + ": p50 / p95 / p99 ms, throughput run; light load; idle",
                    triple(r, "throughput", "dispatchBreakdown", segment) + "; "
                            + triple(r, "dispatchBreakdownLightLoad", segment) + "; "
                            + triple(r, "idle", "dispatchBreakdown", segment));
        }
        row(md, "Step run time (startedAt → finishedAt) p50 / p95 / p99 ms (instant steps)",
                triple(r, "throughput", "stepRunTime"));
        row(md, "Makespan: clusters, maxParallel", fmt(at(r, "makespan", "clusters")) + ", " + fmt(at(r, "makespan", "maxParallel")));
        row(md, "Makespan s / lower bound s (longest chain s, total work s)",
                fmt(at(r, "makespan", "makespanSeconds")) + " / " + fmt(at(r, "makespan", "lowerBoundSeconds")) + " ("
                        + fmt(at(r, "makespan", "longestChainSeconds")) + ", " + fmt(at(r, "makespan", "totalWorkSeconds")) + ")");
        row(md, "Makespan: dispatch latency p50 / p95 / p99 ms", triple(r, "makespan", "dispatchLatency"));
        row(md, "Makespan: step run time by kind, p50 / p99 ms (simulated: BACKUP 200, SYNC_CHECK 50, UPGRADE 300)",
                byKind(at(r, "makespan", "stepRunTimeByKind")));
        row(md, "Makespan: a cluster's slot after its first step started, mean s: steps running / between steps",
                fmt(at(r, "makespan", "perCluster", "runningSeconds")) + " / "
                        + fmt(at(r, "makespan", "perCluster", "betweenStepsSeconds")));
        row(md, "Makespan: CPU", String.valueOf(at(r, "makespan", "cpu")));
        row(md, "Makespan in seconds (backup 2 s, hop 3 x 1 s, sync 0.5 s): clusters, maxParallel; makespan / lower bound s",
                fmt(at(r, "makespanSeconds", "clusters")) + ", " + fmt(at(r, "makespanSeconds", "maxParallel")) + "; "
                        + fmt(at(r, "makespanSeconds", "makespanSeconds")) + " / "
                        + fmt(at(r, "makespanSeconds", "lowerBoundSeconds")));
        row(md, "Preview 10,000: view=summary median ms (runs; first call, JIT cold)",
                fmt(at(r, "planning", "summary", "medianMs")) + " " + at(r, "planning", "summary", "runsMs") + "; "
                + fmt(at(r, "planning", "summary", "firstCallMs")));
        row(md, "Preview 10,000: view=full median ms (runs; first call, JIT cold; response bytes)",
                fmt(at(r, "planning", "full", "medianMs")) + " " + at(r, "planning", "full", "runsMs") + "; "
                + fmt(at(r, "planning", "full", "firstCallMs")) + "; " + fmt(at(r, "planning", "full", "responseBytes")));
        row(md, "Preview 10,000: planner heap allocated per call, MiB, view=summary / full",
                fmt(at(r, "planning", "summary", "allocatedMiBPerCall")) + " / "
                        + fmt(at(r, "planning", "full", "allocatedMiBPerCall")));
        if (r.get("memory") instanceof Map<?, ?> memory) {
            memory.forEach((when, figures) -> row(md, "Memory " + when
                    + (figures instanceof Map ? ": heap after full GC / RSS, MiB" : ""), memoryCell(figures)));
        }
        row(md, "Scale-out: steps/s one executor → two", fmt(at(r, "scaleOut", "oneExecutor", "stepsPerSecond")) + " → "
                + fmt(at(r, "scaleOut", "twoExecutors", "stepsPerSecond")) + " (ratio " + fmt(at(r, "scaleOut", "ratio")) + ")");
        row(md, "Scale-out: CPU with two executors", String.valueOf(at(r, "scaleOut", "twoExecutors", "cpu")));
        Object skipped = r.get("skipped");
        if (skipped instanceof List<?> l && !l.isEmpty()) {
            md.append("\nSkipped: ").append(String.join("; ", l.stream().map(String::valueOf).toList())).append("\n");
        }
        if (r.get("clustersFallbackReason") != null) {
            md.append("\nFewer clusters than requested: ").append(r.get("clustersFallbackReason")).append("\n");
        }
        if (r.get("error") != null) {
            md.append("\nThe run failed: ").append(r.get("error")).append("\n");
        }
        return md.toString();
    }

    /** "BACKUP 230 / 260, UPGRADE 340 / 420" from {kind: {p50Ms, p99Ms}}, or "–". */
    private static String byKind(Object summaries) {
        if (!(summaries instanceof Map<?, ?> kinds) || kinds.isEmpty()) {
            return "–";
        }
        List<String> cells = new ArrayList<>();
        kinds.forEach((kind, m) -> cells.add(kind + " " + fmt(((Map<?, ?>) m).get("p50Ms")) + " / "
                + fmt(((Map<?, ?>) m).get("p99Ms"))));
        return String.join(", ", cells);
    }

    /** "0.61, 0.34, 0.18" from the warm-up rounds under {@code key}, or "–". */
    private static String jitRounds(Map<String, Object> r, String key) {
        if (!(r.get(key) instanceof List<?> rounds) || rounds.isEmpty()) {
            return "–";
        }
        return String.join(", ", rounds.stream().map(round -> fmt(((Map<?, ?>) round).get("servicesJitCores"))).toList());
    }

    /** "planner 80 / 467, executor-1 60 / 560" from {service: {heapAfterGcKiB, rssKiB}}, or the figure itself. */
    private static String memoryCell(Object figures) {
        if (!(figures instanceof Map<?, ?> services)) {
            return fmt(figures);
        }
        List<String> cells = new ArrayList<>();
        services.forEach((service, m) -> cells.add(service + " " + mib(((Map<?, ?>) m).get("heapAfterGcKiB")) + " / "
                + mib(((Map<?, ?>) m).get("rssKiB"))));
        return String.join(", ", cells);
    }

    private static String mib(Object kib) {
        return kib instanceof Number n && n.longValue() >= 0 ? String.valueOf(Math.round(n.longValue() / 1024.0)) : "?";
    }

    private static String triple(Map<String, Object> r, String... path) {
        List<String> p = new ArrayList<>(List.of(path));
        p.add("p50Ms");
        String a = fmt(at(r, p.toArray(String[]::new)));
        p.set(p.size() - 1, "p95Ms");
        String b = fmt(at(r, p.toArray(String[]::new)));
        p.set(p.size() - 1, "p99Ms");
        return a + " / " + b + " / " + fmt(at(r, p.toArray(String[]::new)));
    }

    private static void row(StringBuilder md, String name, String value) {
        md.append("| ").append(name).append(" | ").append(value.replace("|", "/")).append(" |\n");
    }
}
