package io.stepwise.executor.support;

import static org.awaitility.Awaitility.await;

import io.stepwise.model.ClusterConnection;
import io.stepwise.model.Product;
import io.stepwise.model.StepKind;
import io.stepwise.model.StepRequested;
import io.stepwise.model.StepStatus;
import io.stepwise.model.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Steps sent through the executor's topic as the planner sends them, and what became of them. */
public final class Steps {

    private Steps() {
    }

    /** A first attempt of a step on a cluster that is not (necessarily) a simulated one. */
    public static StepRequested step(String clusterId, Product product, StepKind kind, String toVersion,
                                     ClusterConnection cluster) {
        String rollout = "r-" + UUID.randomUUID().toString().substring(0, 8);
        return new StepRequested(rollout + "-" + clusterId + "-1", rollout, clusterId, 1, 1, product, kind, toVersion,
                Map.of(), cluster);
    }

    /** Sends the step and waits for its end event. */
    public static StepStatus run(StepTopic topic, StepRequested step) {
        topic.send(step.clusterId(), StepRequested.TYPE, step);
        await().atMost(Duration.ofSeconds(60)).until(() -> statuses(topic, step).stream()
                .anyMatch(s -> s.state().isTerminal()));
        return statuses(topic, step).stream().filter(s -> s.state().isTerminal()).findFirst().orElseThrow();
    }

    /** Every status event of the step so far (started, progress, end). */
    public static List<StepStatus> statuses(StepTopic topic, StepRequested step) {
        return topic.events(Topics.STEP_STATUS, "io.stepwise.step.", StepStatus.class).stream()
                .filter(s -> s.stepId().equals(step.stepId())).toList();
    }

    /** The step's ledger row message, as the executor recorded it. */
    public static String ledgerMessage(StepRequested step) {
        var row = LedgerRows.execution(step.stepId(), step.attempt());
        return row == null ? null : (String) row.get("message");
    }

    /** The payloads of every outbox row about this step (what was, or will be, published). */
    public static List<String> outboxPayloads(StepRequested step) {
        return LedgerRows.query("select payload from outbox_event where subject = ?", step.stepId()).stream()
                .map(r -> (String) r.get("payload")).toList();
    }
}
