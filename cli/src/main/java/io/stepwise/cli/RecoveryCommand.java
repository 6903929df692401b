package io.stepwise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code recovery <rollout> <cluster>}: how a cluster that failed in a rollout can get back, and how to start it. */
@Command(name = "recovery", sortOptions = false,
        description = {"How a cluster that failed in a rollout can get back to the version it ran before: each way"
                + " (a downgrade, a restore of the pre-upgrade backup) with whether the vendor's rules allow it, the"
                + " rule and why, its steps, and the request that starts it as a new rollout. Changes nothing."})
final class RecoveryCommand extends Base {

    @Parameters(index = "0", paramLabel = "ROLLOUT", description = "The rollout the cluster failed in.")
    String rolloutId;

    @Parameters(index = "1", paramLabel = "CLUSTER", description = "The failed cluster's id.")
    String clusterId;

    @Override
    public Integer call() {
        JsonNode r = api(Role.VIEWER).get("/api/v1/rollouts/" + segment(rolloutId) + "/clusters/"
                + segment(clusterId) + "/recovery");
        if (format() != Format.table) {
            format().print(out(), r);
            return Exit.OK;
        }
        JsonNode failed = r.path("failedStep");
        out().println("Cluster " + clusterId + " FAILED in rollout " + rolloutId
                + (failed.isMissingNode() ? "" : " at step " + failed.path("seq").asText() + " "
                + Json.text(failed, "kind") + (Json.text(failed, "toVersion").isEmpty() ? ""
                : " " + Json.text(failed, "toVersion")) + (Json.text(failed, "error").isEmpty() ? ""
                : ": " + Json.text(failed, "error"))));
        List<String> facts = new ArrayList<>();
        facts.add("now " + or(Json.text(r, "version"), "unknown") + " (last verified)");
        facts.add("before the rollout " + or(Json.text(r, "versionBefore"), "unknown"));
        JsonNode backup = r.path("backup");
        facts.add(backup.isMissingNode() ? "no pre-upgrade backup" : "pre-upgrade backup "
                + Json.text(backup, "backupId") + " " + Json.text(backup, "state") + " (step "
                + backup.path("seq").asText() + (Json.text(backup, "backend").isEmpty() ? ""
                : ", backend " + Json.text(backup, "backend")) + (Json.text(backup, "dump").isEmpty() ? ""
                : ", dump " + Json.text(backup, "dump")) + ")");
        out().println(String.join("; ", facts) + ".");
        for (JsonNode option : r.path("options")) {
            out().println();
            print(r, option);
        }
        if (!r.path("rolloutEnded").asBoolean()) {
            out().println();
            out().println("Rollout " + rolloutId + " has not ended: it holds the cluster (a retry is still possible"
                    + " there) and a new rollout of it is refused as busy until it ends or is cancelled.");
        }
        return Exit.OK;
    }

    private void print(JsonNode r, JsonNode option) {
        boolean allowed = option.path("allowed").asBoolean();
        out().println(Json.text(option, "kind") + " to " + Json.text(option, "toVersion") + ": "
                + (allowed ? "allowed" : "not allowed") + " (" + Json.text(option, "rule") + ")");
        out().println("  " + Json.text(option, "reason"));
        if (!allowed) {
            return;
        }
        Table steps = new Table("#", "STEP", "TO", "RULE", "REASON");
        for (JsonNode step : option.path("steps")) {
            steps.row(step.path("seq").asText(), Json.text(step, "kind"), Json.text(step, "toVersion"),
                    Json.text(step, "rule"), Json.text(step, "reason"));
        }
        steps.print(out(), "  ");
        JsonNode start = option.path("start");
        if (start.isMissingNode()) {
            return;
        }
        JsonNode body = start.path("body");
        out().println("  Start it: " + Json.text(start, "method") + " " + Json.text(start, "path") + " " + body);
        if (!body.has("recoveryOf")) {
            out().println("    or: stepwise rollout start --product " + Json.text(body, "product") + " --target "
                    + Json.text(body, "targetVersion") + " --cluster " + clusterId);
        }
    }

    private static String or(String text, String otherwise) {
        return text.isEmpty() ? otherwise : text;
    }
}
