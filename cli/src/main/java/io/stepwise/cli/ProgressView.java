package io.stepwise.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws a rollout's progress as text: a header with the ETA, one bar per wave, and one per cluster at work (no more
 * than fit, then a count of the rest), so that a rollout of 10,000 clusters draws as few lines as one of ten.
 */
final class ProgressView {

    /** Counted in this order in a wave's line. */
    private static final List<String> STATES = List.of("SUCCEEDED", "FAILED", "CANCELLED", "SKIPPED", "RUNNING",
            "AWAITING_APPROVAL", "WAITING");

    private ProgressView() {
    }

    /** The pace of the steps since the watcher first saw the rollout running, and the ETA it makes. */
    static final class Pace {
        private Instant since;
        private int doneAtStart;

        void observe(RolloutProgress p, Instant now) {
            if (since == null && p.state.equals("RUNNING") && !p.clusters.isEmpty()) {
                since = now;
                doneAtStart = p.doneSteps();
            }
        }

        /**
         * The time left at the pace so far, or null before a step has ended since the watcher began, or within its
         * first second (too short a time to tell a pace).
         */
        Duration eta(RolloutProgress p, Instant now) {
            int done = since == null ? 0 : p.doneSteps() - doneAtStart;
            long millis = since == null ? 0 : Duration.between(since, now).toMillis();
            if (done <= 0 || millis < 1000) {
                return null;
            }
            return Duration.ofMillis(millis * p.remainingSteps() / done);
        }
    }

    /** The live picture: header, waves, clusters at work (at most {@code maxClusters} of them). */
    static List<String> lines(RolloutProgress p, Pace pace, Instant now, int maxClusters) {
        List<String> lines = new ArrayList<>();
        lines.add(header(p, pace, now));
        if (p.state.equals("PAUSED")) {
            lines.add("  paused" + (p.message.isEmpty() ? "" : ": " + p.message)
                    + " (go on: stepwise rollout resume " + p.id + ")");
        } else if (p.state.equals("PENDING") && !p.message.isEmpty()) {
            lines.add("  " + p.message);
        }
        int nameWidth = p.waves.stream().mapToInt(w -> w.name().length()).max().orElse(3);
        for (RolloutProgress.Wave wave : p.waves) {
            String marker = p.waves.size() > 1 && wave.name().equals(p.currentWave) && !p.finished() ? "> " : "  ";
            lines.add(marker + pad(wave.name(), nameWidth) + "  " + bar(wave.ended(), wave.total(), 20) + " "
                    + wave.ended() + "/" + wave.total() + "  " + states(wave));
        }
        List<RolloutProgress.Cluster> active = p.active();
        int idWidth = active.stream().limit(maxClusters).mapToInt(c -> c.id().length()).max().orElse(0);
        for (RolloutProgress.Cluster c : active.subList(0, Math.min(active.size(), maxClusters))) {
            lines.add("    " + clusterLine(p, c, idWidth));
        }
        if (active.size() > maxClusters) {
            lines.add("    … " + (active.size() - maxClusters) + " more at work");
        }
        return lines;
    }

    /** One line for logs and pipes: elapsed, state, a bar of the clusters ended, the counts, the ETA. */
    static String plainLine(RolloutProgress p, Pace pace, Instant now) {
        Duration eta = pace.eta(p, now);
        return "+" + Json.duration(elapsed(p, now)) + " " + p.state + " " + bar(p.ended(), p.total(), 20) + " "
                + p.ended() + "/" + p.total() + " clusters ended (" + states(p.counts) + ")"
                + (p.waves.size() > 1 ? ", wave " + p.currentWave : "")
                + (eta != null && p.state.equals("RUNNING") ? ", ETA " + Json.duration(eta) : "");
    }

    static String header(RolloutProgress p, Pace pace, Instant now) {
        Duration eta = pace.eta(p, now);
        String tail = p.finished() ? "" : p.state.equals("PAUSED") ? "  ETA - (paused)"
                : "  ETA " + (eta == null ? "-" : Json.duration(eta));
        return "Rollout " + p.id + "  " + p.product + " -> " + p.targetVersion + "  " + p.state + "  "
                + Json.duration(elapsed(p, now)) + " elapsed" + tail;
    }

    static String clusterLine(RolloutProgress p, RolloutProgress.Cluster c, int idWidth) {
        int done = c.succeededSteps();
        int total = c.steps().size();
        RolloutProgress.Step step = c.currentStep();
        String doing;
        if (c.state().equals("AWAITING_APPROVAL")) {
            doing = "awaiting approval: stepwise rollout approve " + p.id + " " + c.id();
        } else if (step == null) {
            doing = c.message();
        } else {
            String message = step.message(); // the cluster's own message is its plan's summary: too long here
            doing = step.kind() + (step.toVersion().isEmpty() ? "" : " " + step.toVersion())
                    + (message.isEmpty() ? "" : "  " + message);
        }
        return pad(c.id(), idWidth) + "  " + bar(done, total, 10) + " " + done + "/" + total + "  " + doing;
    }

    /** How a cluster that came to an end is told: failed and cancelled ones with the reason. */
    static String ended(RolloutProgress.Cluster c) {
        switch (c.state()) {
            case "FAILED": {
                RolloutProgress.Step failed = c.failedStep();
                if (failed == null) {
                    return c.id() + " FAILED" + (c.message().isEmpty() ? "" : ": " + c.message());
                }
                String why = !failed.error().isEmpty() ? failed.error() : failed.message();
                return c.id() + " FAILED at step " + failed.seq() + "/" + c.steps().size() + " " + failed.kind()
                        + (failed.errorCode().isEmpty() ? "" : " (" + failed.errorCode() + ")")
                        + (why.isEmpty() ? "" : ": " + why);
            }
            case "SKIPPED":
                return c.id() + " SKIPPED" + (c.refusalCode().isEmpty() ? "" : " (" + c.refusalCode() + ")")
                        + (c.message().isEmpty() ? "" : ": " + c.message());
            case "SUCCEEDED":
                return c.id() + " SUCCEEDED" + (c.toVersion().isEmpty() ? "" : " at " + c.toVersion());
            default:
                return c.id() + " " + c.state() + (c.message().isEmpty() ? "" : ": " + c.message());
        }
    }

    /** {@code [########------------]}. */
    static String bar(int done, int total, int width) {
        int filled = total <= 0 ? 0 : (int) ((long) done * width / total);
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "]";
    }

    static Duration elapsed(RolloutProgress p, Instant now) {
        if (p.createdAt == null) {
            return Duration.ZERO;
        }
        Duration d = Duration.between(p.createdAt, p.finishedAt != null ? p.finishedAt : now);
        return d.isNegative() ? Duration.ZERO : d;
    }

    private static String states(RolloutProgress.Wave wave) {
        return states(wave.counts());
    }

    /** {@code 11 succeeded, 1 failed, 10 running, 28 waiting}. */
    static String states(java.util.Map<String, Integer> counts) {
        List<String> parts = new ArrayList<>();
        for (String state : STATES) {
            int n = counts.getOrDefault(state, 0);
            if (n > 0) {
                parts.add(n + " " + state.toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
            }
        }
        counts.forEach((state, n) -> {
            if (!STATES.contains(state) && n > 0) {
                parts.add(n + " " + state.toLowerCase(java.util.Locale.ROOT));
            }
        });
        return parts.isEmpty() ? "no clusters" : String.join(", ", parts);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
