package io.stepwise.planner.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.stepwise.model.StepKind;
import io.stepwise.planner.rest.PreviewResponse.StepView;
import io.stepwise.planner.rules.RecoveryOption;
import io.stepwise.planner.service.RecoveryPreview;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * {@code GET /api/v1/rollouts/{id}/clusters/{clusterId}/recovery}: where a failed cluster stands and its ways back,
 * each allowed or not with the rule and why, and for an allowed one the request that starts it as a new rollout.
 */
public record RecoveryView(String rolloutId, String clusterId, String product,
                           @Schema(nullable = true, description = "the version the inventory holds: the last one a"
                                   + " VERIFY confirmed") String version,
                           @Schema(nullable = true, description = "the version the cluster ran before the rollout")
                           String versionBefore,
                           // absent rather than null: OpenAPI 3.0 cannot say "this object or null"
                           @JsonInclude(JsonInclude.Include.NON_NULL)
                           @Schema(description = "absent when no step failed (the cluster timed out or was refused)")
                           FailedStepView failedStep,
                           @JsonInclude(JsonInclude.Include.NON_NULL)
                           @Schema(description = "the rollout's pre-upgrade backup; absent when its plan took none")
                           BackupView backup,
                           @Schema(description = "until the rollout ends it holds the cluster (a retry is still"
                                   + " possible there), and a new rollout of it is refused as busy")
                           boolean rolloutEnded,
                           List<OptionView> options) {

    public record FailedStepView(int seq, StepKind kind, @Schema(nullable = true) String toVersion,
                                 @Schema(nullable = true) String error, @Schema(nullable = true) String errorCode) {
    }

    public record BackupView(int seq, @Schema(nullable = true) String backupId,
                             @Schema(nullable = true, description = "null: the executor's default backend")
                             String backend,
                             String state,
                             @Schema(nullable = true, description = "the executor's last word on the step")
                             String message,
                             @Schema(nullable = true, description = "where the backup's data lies, when the product"
                                     + " keeps it with the executor (a Pachyderm dump)") String dump) {
    }

    /** {@code start} is absent when the option is not allowed. */
    public record OptionView(RecoveryOption.Kind kind, boolean allowed, String toVersion, String rule, String reason,
                             List<StepView> steps,
                             @JsonInclude(JsonInclude.Include.NON_NULL)
                             @Schema(description = "absent when the option is not allowed") StartView start) {
    }

    /** The request that starts the option as a new rollout, as it is to be sent. */
    public record StartView(String method, String path,
                            @Schema(implementation = RolloutRequest.class) Map<String, Object> body,
                            @Schema(nullable = true, description = "what stands in the way of sending it now")
                            String note) {
    }

    public static RecoveryView of(RecoveryPreview p) {
        RecoveryPreview.FailedStep f = p.failedStep();
        RecoveryPreview.Backup b = p.backup();
        return new RecoveryView(p.rolloutId(), p.clusterId(), p.product().id(), p.version(), p.versionBefore(),
                f == null ? null : new FailedStepView(f.seq(), f.kind(), f.toVersion(), f.error(), f.errorCode()),
                b == null ? null : new BackupView(b.seq(), b.backupId(), b.backend(), b.state(), b.message(),
                        b.artefact()),
                p.rolloutEnded(), p.options().stream().map(o -> option(p, o)).toList());
    }

    private static OptionView option(RecoveryPreview p, RecoveryOption o) {
        return new OptionView(o.kind(), o.allowed(), o.toVersion(), o.rule(), o.reason(),
                o.steps().stream().map(StepView::of).toList(), o.allowed() ? start(p, o) : null);
    }

    /**
     * A downgrade is an ordinary rollout to the version before; a restore names the failed cluster it recovers, and
     * the planner plans it as this preview does.
     */
    private static StartView start(RecoveryPreview p, RecoveryOption o) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("product", p.product().id());
        body.put("targetVersion", o.toVersion());
        body.put("clusterIds", List.of(p.clusterId()));
        if (o.kind() == RecoveryOption.Kind.RESTORE_BACKUP) {
            body.put("recoveryOf", Map.of("rolloutId", p.rolloutId(), "clusterId", p.clusterId()));
        }
        String note = p.rolloutEnded() ? null : "rollout " + p.rolloutId() + " holds the cluster until it ends (a"
                + " retry is still possible there), so this request is refused as busy until then: cancel the"
                + " rollout, or wait for it to end";
        return new StartView("POST", "/api/v1/rollouts", body, note);
    }
}
