package io.stepwise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code plan}: a dry run of the planning rules over registered clusters (POST /api/v1/plans/preview). */
@Command(name = "plan", sortOptions = false,
        description = "What a rollout would do to the selected clusters, changing nothing: each"
        + " cluster's path and step count, and the clusters that cannot be planned with the reason.")
final class PlanCommand extends Base {

    @Option(names = "--product", required = true, description = "weaviate or pachyderm.")
    String product;

    @Option(names = "--target", required = true, paramLabel = "VERSION",
            description = "1.30.23, 1.30 (its latest patch) or latest.")
    String target;

    @Option(names = "--selector", required = true, paramLabel = "SELECTOR",
            description = "Label selector over the inventory, e.g. 'fleet=demo' or 'env=prod,region in (eu,us)'.")
    String selector;

    @Option(names = "--explain", description = "Print every step with the vendor rule that put it there and why.")
    boolean explain;

    @Option(names = "--probe", description = "Plan from what the executor finds on the clusters now, not from the"
            + " inventory (slower; corrects the inventory where it is wrong).")
    boolean probe;

    @Override
    public Integer call() {
        ObjectNode body = Json.object().put("product", product).put("targetVersion", target).put("selector", selector);
        String view = explain || format() != Format.table ? "full" : "summary";
        JsonNode answer = api(Role.OPERATOR).post("/api/v1/plans/preview?view=" + view + (probe ? "&probe=true" : ""),
                body);
        if (format() != Format.table) {
            format().print(out(), answer);
            return Exit.OK;
        }
        JsonNode plans = answer.path("plans");
        JsonNode refusals = answer.path("refusals");
        if (plans.isEmpty() && refusals.isEmpty()) {
            out().println("No registered " + product + " cluster matches '" + selector + "'.");
            return Exit.OK;
        }
        if (!plans.isEmpty()) {
            Table table = new Table("CLUSTER", "FROM", "TO", "PATH", "STEPS");
            for (JsonNode plan : plans) {
                table.row(Json.text(plan, "clusterId"), Json.text(plan, "fromVersion"), Json.text(plan, "toVersion"),
                        plan.path("alreadyAtTarget").asBoolean() ? "already at target" : path(plan),
                        plan.path("stepCount").asText());
            }
            table.print(out());
        }
        if (explain) {
            for (JsonNode plan : plans) {
                if (plan.path("steps").isEmpty()) {
                    continue;
                }
                out().println();
                out().println(Json.text(plan, "clusterId") + ": " + Json.text(plan, "summary"));
                Table steps = new Table("#", "STEP", "TO", "RULE", "SEGMENT", "REASON");
                for (JsonNode step : plan.path("steps")) {
                    steps.row(step.path("seq").asText(), Json.text(step, "kind"), Json.text(step, "toVersion"),
                            Json.text(step, "rule"), Json.text(step, "segment"), Json.text(step, "reason"));
                }
                steps.print(out(), "  ");
            }
        }
        if (!refusals.isEmpty()) {
            out().println();
            out().println(refusals.size() + " cluster(s) cannot be planned:");
            Table table = new Table("CLUSTER", "CODE", "REASON");
            for (JsonNode refusal : refusals) {
                table.row(Json.text(refusal, "clusterId"), Json.text(refusal, "code"), Json.text(refusal, "message"));
            }
            table.print(out(), "  ");
        }
        int steps = 0;
        for (JsonNode plan : plans) {
            steps += plan.path("stepCount").asInt();
        }
        out().println();
        out().println(plans.size() + " cluster(s) planned (" + steps + " steps), " + refusals.size() + " refused."
                + (explain ? "" : " --explain shows every step with its rule and reason."));
        return Exit.OK;
    }

    /** {@code 1.25.34 > 1.26.17 > 1.30.23}: the versions the cluster passes through. */
    private static String path(JsonNode plan) {
        List<String> hops = new ArrayList<>();
        plan.path("path").forEach(v -> hops.add(v.asText()));
        return hops.isEmpty() ? "-" : String.join(" > ", hops);
    }
}
