package io.stepwise.bench;

import io.stepwise.infrastructure.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** CPU and memory figures from /proc (Linux). */
final class ProcStats {

    /** USER_HZ; 100 on every Linux this runs on. */
    private static final double TICKS = 100.0;

    private ProcStats() {
    }

    static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException gone) {
            // process gone
        }
        return -1;
    }

    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "(comm) ": state=0 ... utime=11 stime=12
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS;
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    /**
     * CPU seconds used so far by the JIT compiler threads of a JVM ({@code C1 CompilerThre...}, {@code C2 ...}, as
     * /proc/<pid>/task/<tid>/stat names them): how much of a service's CPU is still warming up rather than serving.
     */
    static double jitCpuSeconds(long pid) {
        double total = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (name.matches("C\\d CompilerThre.*")) {
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        total += (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS;
                    }
                } catch (IOException | RuntimeException gone) {
                    // thread exited meanwhile
                }
            }
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
        return total;
    }

    /** CPU seconds of every process whose command name is {@code comm} (e.g. the postgres server processes). */
    static double cpuSecondsOf(String comm) {
        double total = 0;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (name.equals(comm)) {
                        total += cpuSeconds(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException | RuntimeException gone) {
                    // exited meanwhile
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return total;
    }

    /** {busy, total} jiffies of the whole machine from /proc/stat. */
    static long[] machine() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
            String[] f = lines.get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 1};
        }
    }
    /**
     * Heap in use right after a full collection, in KiB ({@code jcmd GC.run}, then {@code GC.heap_info}): what the
     * process really retains, unlike RSS, which a JVM seldom gives back. -1 if jcmd fails. The class histogram of
     * what is retained goes next to the service's log ({@code <name>-heap-<label>.txt}), to see what grows.
     */
    static long heapAfterGcKib(ServiceProcess service, String label) {
        try {
            jcmd(service, "GC.run");
            // every heap space's "total ..K, used ..K": one for G1, young and old generation for the parallel
            // collector the services run with (metaspace says "used" without "total": not heap)
            Matcher used = Pattern.compile("total \\d+K, used (\\d+)K").matcher(jcmd(service, "GC.heap_info"));
            Files.writeString(service.log().resolveSibling(service.name() + "-heap-" + label + ".txt"),
                    jcmd(service, "GC.class_histogram"));
            long kib = 0;
            boolean found = false;
            while (used.find()) {
                kib += Long.parseLong(used.group(1));
                found = true;
            }
            return found ? kib : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Runs a jcmd command (e.g. "GC.run") on a service process; answers what it printed. */
    static String jcmd(ServiceProcess service, String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(service.pid())));
        full.addAll(List.of(command));
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }
}
