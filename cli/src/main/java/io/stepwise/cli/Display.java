package io.stepwise.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Where a watch shows its progress: redrawn in place on a terminal, as plain lines elsewhere, or not at all. */
interface Display extends AutoCloseable {

    /** The rollout as it is now. */
    void update(RolloutProgress progress);

    /** A line that stays (a cluster that failed, a lost connection); {@code bad} ones are red on a terminal. */
    void log(String line, boolean bad);

    @Override
    void close();

    Display NONE = new Display() {
        @Override
        public void update(RolloutProgress progress) {
        }

        @Override
        public void log(String line, boolean bad) {
        }

        @Override
        public void close() {
        }
    };

    /**
     * On a terminal: the picture of {@link ProgressView#lines} redrawn in place on every event and every second (so
     * that elapsed time and ETA move), with lines that stay printed above it.
     */
    final class Live implements Display {
        private final PrintWriter out;
        private final Clock clock;
        private final boolean colour;
        private final Terminal.Size size;
        private final ProgressView.Pace pace = new ProgressView.Pace();
        private final ScheduledExecutorService ticker;
        private RolloutProgress progress;
        private int drawn;

        Live(PrintWriter out, Clock clock, boolean colour, Terminal.Size size) {
            this.out = out;
            this.clock = clock;
            this.colour = colour;
            this.size = size;
            this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "progress-ticker");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleWithFixedDelay(this::redraw, 1, 1, TimeUnit.SECONDS);
        }

        @Override
        public synchronized void update(RolloutProgress progress) {
            this.progress = progress;
            pace.observe(progress, clock.instant());
            redraw();
        }

        @Override
        public synchronized void log(String line, boolean bad) {
            erase();
            out.println(paint(Terminal.fit(line, size.columns()), bad ? Terminal.RED : null));
            drawn = 0;
            redraw();
        }

        @Override
        public synchronized void close() {
            ticker.shutdownNow();
            redraw();
            drawn = 0;
        }

        private synchronized void redraw() {
            if (progress == null) {
                return;
            }
            // the header, the waves and a few spare lines; the rest of the screen for clusters at work
            int maxClusters = Math.max(3, Math.min(30, size.rows() - progress.waves.size() - 6));
            List<String> lines = ProgressView.lines(progress, pace, clock.instant(), maxClusters);
            erase();
            for (int i = 0; i < lines.size(); i++) {
                String line = Terminal.fit(lines.get(i), size.columns());
                out.println(i == 0 ? paint(line, Terminal.BOLD) : line);
            }
            drawn = lines.size();
            out.flush();
        }

        /** Moves back up over the lines drawn last and clears them. */
        private void erase() {
            if (drawn > 0) {
                out.print("\033[" + drawn + "A\r\033[J");
            }
        }

        private String paint(String line, String code) {
            return colour && code != null ? code + line + Terminal.RESET : line;
        }
    }

    /**
     * Off a terminal (CI logs, pipes): a line when the counts change, at most one per {@code interval} unless the
     * rollout's state or wave changed or it finished; lines that stay as they come.
     */
    final class Lines implements Display {
        private final PrintWriter out;
        private final Clock clock;
        private final Duration interval;
        private final ProgressView.Pace pace = new ProgressView.Pace();
        private String printed;
        private String printedState;
        private String printedWave;
        private Instant printedAt;

        Lines(PrintWriter out, Clock clock, Duration interval) {
            this.out = out;
            this.clock = clock;
            this.interval = interval;
        }

        @Override
        public void update(RolloutProgress p) {
            Instant now = clock.instant();
            pace.observe(p, now);
            String signature = p.state + p.counts + p.currentWave;
            if (signature.equals(printed)) {
                return;
            }
            boolean due = printedAt == null || !Duration.between(printedAt, now).minus(interval).isNegative()
                    || !p.state.equals(printedState) || !p.currentWave.equals(printedWave) || p.finished();
            if (due) {
                out.println(ProgressView.plainLine(p, pace, now));
                out.flush();
                printed = signature;
                printedState = p.state;
                printedWave = p.currentWave;
                printedAt = now;
            }
        }

        @Override
        public void log(String line, boolean bad) {
            out.println(line);
            out.flush();
        }

        @Override
        public void close() {
            out.flush();
        }
    }
}
