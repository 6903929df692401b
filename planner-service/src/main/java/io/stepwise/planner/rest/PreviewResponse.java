package io.stepwise.planner.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.stepwise.model.RefusalCode;
import io.stepwise.model.StepKind;
import io.stepwise.planner.rules.Plan;
import io.stepwise.planner.rules.PlanOutcome;
import io.stepwise.planner.rules.PlannedStep;
import io.stepwise.planner.rules.Refusal;
import io.stepwise.planner.service.PreviewService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Answer of the preview: a plan for every cluster that can be planned, a refusal for each one that cannot. */
public record PreviewResponse(List<PlanView> plans, List<RefusalView> refusals,
                              @JsonInclude(JsonInclude.Include.NON_NULL) List<PreviewService.Probed> probes) {

    /** @param withSteps false for the summary view: path and step count, without the steps themselves */
    public static PreviewResponse of(PreviewService.Preview preview, boolean withSteps) {
        List<PlanView> plans = new ArrayList<>();
        List<RefusalView> refusals = new ArrayList<>();
        for (PlanOutcome outcome : preview.outcomes()) {
            if (outcome instanceof Plan plan) {
                plans.add(PlanView.of(plan, withSteps));
            } else {
                refusals.add(RefusalView.of((Refusal) outcome));
            }
        }
        return new PreviewResponse(plans, refusals, preview.probed());
    }

    /** {@code steps} is left out in the summary view, where {@code path} and {@code stepCount} tell the shape. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PlanView(String clusterId, String product, String fromVersion, String toVersion,
                           boolean alreadyAtTarget, String summary, List<String> path, int stepCount,
                           List<StepView> steps) {

        public static PlanView of(Plan plan, boolean withSteps) {
            return new PlanView(plan.clusterId(), plan.product().id(), plan.fromVersion(), plan.toVersion(),
                    plan.alreadyAtTarget(), plan.summary(), plan.path(), plan.steps().size(),
                    withSteps ? plan.steps().stream().map(StepView::of).toList() : null);
        }
    }

    /** {@code segment} names the run of steps this one belongs to that, once begun, goes on to its end. */
    public record StepView(int seq, StepKind kind, @Schema(nullable = true) String toVersion, String rule, String reason,
                           Map<String, Object> params, @JsonInclude(JsonInclude.Include.NON_NULL) String segment) {

        public static StepView of(PlannedStep step) {
            return new StepView(step.seq(), step.kind(), step.toVersion(), step.rule(), step.reason(), step.params(),
                    step.segment());
        }
    }

    public record RefusalView(String clusterId, RefusalCode code, String message) {

        public static RefusalView of(Refusal refusal) {
            return new RefusalView(refusal.clusterId(), refusal.code(), refusal.message());
        }
    }
}
