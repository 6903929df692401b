package io.stepwise.bench;

import io.stepwise.infrastructure.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Bytes a service process allocates on its heap while the bench does something, from the JVM's own per-thread
 * allocation counters: a JFR recording of {@code jdk.ThreadAllocationStatistics} alone, started and stopped with
 * jcmd, snapshots every thread's counter when it starts and when it stops. Exact (TLAB and outside-TLAB
 * allocations alike), unlike a heap reading, and independent of the services' own recordings.
 */
final class Allocation {

    private static final String SETTINGS = """
            <?xml version="1.0" encoding="UTF-8"?>
            <configuration version="2.0" label="bench allocation">
              <event name="jdk.ThreadAllocationStatistics">
                <setting name="enabled">true</setting>
                <setting name="period">everyChunk</setting>
              </event>
            </configuration>
            """;

    private final ServiceProcess service;
    private final Path recording;
    private final String name;

    private Allocation(ServiceProcess service, Path recording, String name) {
        this.service = service;
        this.recording = recording;
        this.name = name;
    }

    /** Starts counting what {@code service} allocates. */
    static Allocation start(ServiceProcess service, String label) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(Bench.home().resolve("bench/target/allocation"));
        Path settings = dir.resolve("allocation.jfc");
        Files.writeString(settings, SETTINGS);
        String name = "bench-allocation-" + label;
        Allocation allocation = new Allocation(service, dir.resolve(service.name() + "-" + label + ".jfr"), name);
        allocation.jcmd("JFR.start", "name=" + name, "settings=" + settings);
        return allocation;
    }

    /**
     * Starts and stops one recording, so that JFR's start-up in {@code service} is over before anything is measured:
     * a JVM's first recording slowed the planner's previews for seconds (runs 58 and 59, whose services recorded
     * nothing else: 10,000-cluster summaries of 1.3–2.5 s, against ~0.5 s once JFR had started before).
     */
    static void prime(ServiceProcess service) throws IOException, InterruptedException {
        Allocation.start(service, "prime").stop();
    }

    /** Stops counting; answers the bytes allocated since {@link #start} by every thread of the process. */
    long stop() throws IOException, InterruptedException {
        jcmd("JFR.stop", "name=" + name, "filename=" + recording);
        Map<Long, Long> first = new HashMap<>();
        Map<Long, Long> last = new HashMap<>();
        Instant opened = null;
        Map<Long, Instant> firstSeen = new HashMap<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            if (!"jdk.ThreadAllocationStatistics".equals(e.getEventType().getName()) || e.getThread("thread") == null) {
                continue;
            }
            long thread = e.getThread("thread").getJavaThreadId();
            opened = opened == null || e.getStartTime().isBefore(opened) ? e.getStartTime() : opened;
            first.putIfAbsent(thread, e.getLong("allocated"));
            firstSeen.putIfAbsent(thread, e.getStartTime());
            last.put(thread, e.getLong("allocated"));
        }
        long bytes = 0;
        for (Map.Entry<Long, Long> t : last.entrySet()) {
            // a thread first seen after the opening snapshot started during the recording: all it allocated counts
            boolean atOpening = Duration.between(opened, firstSeen.get(t.getKey())).toMillis() < 500;
            bytes += t.getValue() - (atOpening ? first.get(t.getKey()) : 0);
        }
        return bytes;
    }

    private void jcmd(String... command) throws IOException, InterruptedException {
        String out = ProcStats.jcmd(service, command);
        if (out.contains("Could not") || out.contains("Exception")) {
            throw new IOException(String.join(" ", command) + " on " + service.name() + ": " + out.strip());
        }
    }
}
