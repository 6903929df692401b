package io.stepwise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code audit <id> [--verify]}: a rollout's hash-chained audit trail, or the check of its chain. */
@Command(name = "audit", sortOptions = false,
        description = {"A rollout's audit trail, oldest first: who did what, when.",
        "--verify recomputes its hash chain instead and exits 5 when an entry was altered, removed or added."})
final class AuditCommand extends Base {

    @Parameters(paramLabel = "ID", description = "The rollout's id.")
    String id;

    @Option(names = "--verify", description = "Check the hash chain (GET /api/v1/rollouts/{id}/audit/verify).")
    boolean verify;

    @Override
    public Integer call() {
        Api api = api(Role.VIEWER);
        if (verify) {
            JsonNode result = api.get("/api/v1/rollouts/" + segment(id) + "/audit/verify");
            boolean valid = result.path("valid").asBoolean();
            if (format() != Format.table) {
                format().print(out(), result);
            } else if (valid) {
                out().println("The audit trail of rollout " + id + " checks out: " + result.path("entries").asInt()
                        + " entries, none altered, removed or added.");
            } else {
                out().println("The audit trail of rollout " + id + " is BROKEN at entry "
                        + Json.text(result, "brokenAt") + ": " + Json.text(result, "reason"));
            }
            return valid ? Exit.OK : Exit.AUDIT_BROKEN;
        }
        JsonNode entries = api.get("/api/v1/rollouts/" + segment(id) + "/audit");
        if (format() != Format.table) {
            format().print(out(), entries);
            return Exit.OK;
        }
        Table table = new Table("SEQ", "AT", "ACTOR", "TYPE", "CLUSTER", "STEP", "DETAILS");
        for (JsonNode e : entries) {
            JsonNode details = e.path("details");
            table.row(e.path("seq").asText(), Json.shortTime(Json.text(e, "at")), Json.text(e, "actor"),
                    Json.text(e, "type"), Json.text(e, "clusterId"), Json.text(e, "stepSeq"),
                    details.isMissingNode() || details.isNull() ? "" : details.isTextual() ? details.asText()
                            : details.toString());
        }
        table.print(out());
        return Exit.OK;
    }
}
