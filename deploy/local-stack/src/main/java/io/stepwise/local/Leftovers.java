package io.stepwise.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Processes a previous launcher started and could not stop because it was killed hard (kill -9, a crash): the
 * services it ran and the Postgres server of the data folder. Their pids are written down when they start, so
 * the next start can stop them instead of failing on ports in use.
 */
final class Leftovers {

    private final Path pidFile;

    Leftovers(Path dataDir) {
        this.pidFile = dataDir.resolve("services.pid");
    }

    /** The launcher still running from this data folder, if there is one: then nothing is a leftover. */
    Optional<Long> runningLauncher() throws IOException {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        return Files.readAllLines(pidFile).stream().filter(l -> l.startsWith("launcher="))
                .map(l -> Long.parseLong(l.substring("launcher=".length()).trim()))
                .filter(pid -> pid != ProcessHandle.current().pid())
                .filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .findFirst();
    }

    /** Stops what an earlier, dead launcher left behind; answers how many processes that was. */
    int stop(Path postgresDataDir) throws IOException {
        List<Long> pids = new ArrayList<>();
        if (Files.isRegularFile(pidFile)) {
            Files.readAllLines(pidFile).stream().filter(l -> l.matches("\\d+")).map(Long::parseLong).forEach(pids::add);
        }
        Path postmaster = postgresDataDir.resolve("postmaster.pid");
        if (Files.isRegularFile(postmaster)) {
            Files.readAllLines(postmaster).stream().findFirst().filter(l -> l.trim().matches("\\d+"))
                    .map(l -> Long.parseLong(l.trim())).ifPresent(pids::add);
        }
        int stopped = 0;
        for (long pid : pids) {
            Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.endsWith("java") || c.endsWith("postgres")).orElse(false));
            if (process.isPresent()) {
                process.get().destroy();
                if (!process.get().onExit().completeOnTimeout(null, 20, TimeUnit.SECONDS).thenApply(p -> p != null)
                        .join()) {
                    process.get().destroyForcibly();
                }
                stopped++;
            }
        }
        Files.writeString(pidFile, "launcher=" + ProcessHandle.current().pid() + System.lineSeparator());
        return stopped;
    }

    void record(long pid) throws IOException {
        Files.writeString(pidFile, pid + System.lineSeparator(),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    void clear() throws IOException {
        Files.deleteIfExists(pidFile);
    }
}
