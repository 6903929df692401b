package io.stepwise.planner.rest.console;

import io.stepwise.model.ClusterPlanState;
import io.stepwise.model.RolloutState;
import io.stepwise.model.StepState;
import io.stepwise.planner.rest.RolloutView;
import io.stepwise.planner.rest.RolloutView.ClusterProgress;
import io.stepwise.planner.rest.RolloutView.StepProgress;
import io.stepwise.planner.service.RolloutPage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The live part of a rollout's page: its counts, each wave's progress, and one page of clusters with the step each
 * is at. Rebuilt whenever the rollout changes; never more than one page of clusters, whatever the rollout's size.
 */
public record RolloutLive(RolloutView rollout, String startedBy, Bar overall, List<WaveRow> waves,
                          List<ClusterRow> clusters, Pager pager, String stateFilter, String waiting) {

    /** Ended of total, as a percentage for a bar. */
    public record Bar(long ended, long total, int percent) {

        static Bar of(Map<ClusterPlanState, Integer> counts) {
            long total = counts.values().stream().mapToLong(Integer::longValue).sum();
            long ended = counts.entrySet().stream().filter(e -> e.getKey().isTerminal())
                    .mapToLong(e -> e.getValue().longValue()).sum();
            return new Bar(ended, total, total == 0 ? 0 : (int) (100 * ended / total));
        }
    }

    public record WaveRow(String name, boolean pauseAfter, boolean current, Bar bar, String counts, String rules) {
    }

    /**
     * A cluster's line: {@code percent} of its steps done; the step it is at ("3/7 HOP → 1.26.9") and the latest
     * word from it; for a failed cluster, the error and its code.
     */
    public record ClusterRow(ClusterProgress cluster, int percent, String step, String message, String error) {

        public boolean failed() {
            return cluster.state() == ClusterPlanState.FAILED;
        }

        public boolean awaitingApproval() {
            return cluster.state() == ClusterPlanState.AWAITING_APPROVAL;
        }
    }

    static RolloutLive of(RolloutPage page, String stateFilter, Instant now) {
        RolloutView rollout = RolloutView.of(page);
        List<WaveRow> waves = rollout.waves().stream().map(w -> new WaveRow(w.name(), w.pauseAfter(),
                w.name().equals(rollout.currentWave()), Bar.of(w.counts()), counts(w.counts()), rules(rollout, w)))
                .toList();
        return new RolloutLive(rollout, page.summary().rollout().actor, Bar.of(rollout.counts()), waves,
                rollout.clusters().stream().map(RolloutLive::row).toList(),
                Pager.of(page.clusters(), Pager.query("state", stateFilter)), stateFilter, waiting(rollout, now));
    }

    /** "at most 2 at once · soak PT2H · gate after (approver)": what holds a wave back, for people. */
    private static String rules(RolloutView rollout, RolloutView.WaveProgress wave) {
        List<String> rules = new ArrayList<>();
        if (wave.maxParallel() != null) {
            rules.add("at most " + wave.maxParallel() + " at once");
        }
        if (wave.maxFailed() != null) {
            rules.add("fails at " + wave.maxFailed() + " failed");
        }
        if (wave.waitAfter() != null) {
            rules.add("soak " + wave.waitAfter());
        }
        rollout.gates().stream().filter(g -> g.wave().equals(wave.name())).forEach(g -> rules.add("gate " + g.when()
                + " (" + g.role() + ", " + g.state().toLowerCase() + ")"));
        return String.join(" · ", rules);
    }

    /** What the rollout waits for, with the time left: a gate, a soak, or its start. */
    private static String waiting(RolloutView rollout, Instant now) {
        if ("gate".equals(rollout.waitingFor())) {
            String[] gate = rollout.pendingGate().split(":", 2);
            return "Waiting at the gate " + gate[0] + " wave '" + gate[1] + "': an " + rollout.gateRole()
                    + " lets it go on";
        }
        if ("soak".equals(rollout.waitingFor())) {
            return "Soaking until " + rollout.waitUntil() + " (" + left(now, rollout.waitUntil()) + " left)";
        }
        if (rollout.state() == RolloutState.SCHEDULED && rollout.startAt() != null) {
            return "Starts at " + rollout.startAt() + " (in " + left(now, rollout.startAt()) + ")";
        }
        return null;
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

    public boolean mayApproveGate() {
        return "gate".equals(rollout.waitingFor());
    }

    public boolean mayEndWait() {
        return "soak".equals(rollout.waitingFor());
    }

    public String counts() {
        return counts(rollout.counts());
    }

    public boolean mayPause() {
        return rollout.state() == RolloutState.RUNNING || rollout.state() == RolloutState.PENDING;
    }

    public boolean mayResume() {
        return rollout.state() == RolloutState.PAUSED;
    }

    public boolean mayCancel() {
        return !rollout.state().isTerminal();
    }

    public boolean mayRetry() {
        return rollout.state() != RolloutState.CANCELLED;
    }

    public boolean finished() {
        return rollout.finishedAt() != null;
    }

    private static String counts(Map<ClusterPlanState, Integer> counts) {
        StringBuilder text = new StringBuilder();
        counts.forEach((state, n) -> text.append(text.isEmpty() ? "" : ", ").append(n).append(' ')
                .append(state.name().toLowerCase().replace('_', ' ')));
        return text.toString();
    }

    private static ClusterRow row(ClusterProgress c) {
        List<StepProgress> steps = c.steps();
        long done = steps.stream().filter(s -> s.state() == StepState.SUCCEEDED).count();
        int percent = c.state() == ClusterPlanState.SUCCEEDED ? 100
                : steps.isEmpty() ? 0 : (int) (100 * done / steps.size());
        StepProgress current = steps.stream().filter(s -> s.seq() == c.currentSeq()).findFirst().orElse(null);
        String step = current == null ? "" : current.seq() + "/" + steps.size() + " " + current.kind()
                + (current.toVersion() == null ? "" : " → " + current.toVersion());
        StepProgress failed = steps.stream().filter(s -> s.state() == StepState.FAILED).reduce((a, b) -> b)
                .orElse(null);
        String error = failed == null || failed.error() == null ? null
                : (failed.errorCode() == null ? "" : failed.errorCode() + ": ") + failed.error();
        String message = current != null && current.message() != null ? current.message() : c.message();
        return new ClusterRow(c, percent, step, message, c.state() == ClusterPlanState.FAILED
                ? (error == null ? c.message() : error) : null);
    }
}
