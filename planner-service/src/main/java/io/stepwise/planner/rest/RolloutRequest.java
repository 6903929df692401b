package io.stepwise.planner.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.stepwise.model.Product;
import io.stepwise.planner.rest.validation.KnownProduct;
import io.stepwise.planner.rest.validation.TargetVersionText;
import io.stepwise.planner.rules.TargetVersion;
import io.stepwise.planner.service.StartRollout;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import org.hibernate.validator.constraints.Range;

/**
 * Body of {@code POST /api/v1/rollouts}: registered clusters by {@code selector} or {@code clusterIds}, a target,
 * and how to go about it. Defaults are the safe ones: one cluster at a time, stop after the first failure.
 */
public record RolloutRequest(@KnownProduct(required = true) String product,
                             @TargetVersionText String targetVersion,
                             String selector,
                             List<String> clusterIds,
                             @Valid Strategy strategy,
                             // left out of the request's idempotency hash when absent, as before it existed
                             @JsonInclude(JsonInclude.Include.NON_NULL)
                             @Pattern(regexp = "refuse|skip", message = "'${validatedValue}' is not refuse (the"
                                     + " default: a busy cluster refuses the rollout) or skip (busy clusters are"
                                     + " skipped)")
                             String busyClusters,
                             // left out of the request's idempotency hash when absent, as before it existed
                             @JsonInclude(JsonInclude.Include.NON_NULL) Boolean probe,
                             // left out of the request's idempotency hash when absent, as before it existed
                             @JsonInclude(JsonInclude.Include.NON_NULL) @Valid RecoveryOf recoveryOf) {

    public RolloutRequest(String product, String targetVersion, String selector, List<String> clusterIds,
                          Strategy strategy, String busyClusters, Boolean probe) {
        this(product, targetVersion, selector, clusterIds, strategy, busyClusters, probe, null);
    }

    /**
     * The failed cluster of an earlier rollout whose pre-upgrade backup this rollout restores: the RESTORE_BACKUP
     * option of its recovery preview (GET /rollouts/{id}/clusters/{clusterId}/recovery), planned the same way.
     */
    public record RecoveryOf(@NotNull(message = "the rollout the cluster failed in is required") String rolloutId,
                             @NotNull(message = "the failed cluster is required") String clusterId) {
    }

    public record Strategy(@Range(min = 1, max = 10_000) Integer maxParallel,
                           // left out of the request's idempotency hash when absent, as before waves existed
                           @JsonInclude(JsonInclude.Include.NON_NULL)
                           List<@NotNull(message = "a wave is required") @Valid WaveRequest> waves,
                           @Valid FailurePolicy failurePolicy) {
    }

    /**
     * One wave: the rollout's clusters matching {@code selector}, or those named in {@code clusterIds}, or (with
     * neither) all clusters not in an earlier wave. Clusters in no wave form a last wave, "remaining".
     * {@code pauseAfter}: pause the rollout when this wave has ended, until someone resumes it.
     */
    public record WaveRequest(String name, String selector, List<String> clusterIds, Boolean pauseAfter) {
    }

    /** {@code maxFailedClusters}: after this many failed clusters, no further cluster is started. */
    public record FailurePolicy(@Range(min = 1, max = 10_000) Integer maxFailedClusters) {
    }

    /** The command this valid request asks for. */
    public StartRollout toCommand() {
        List<StartRollout.WaveSpec> waves = strategy == null || strategy.waves() == null ? List.of()
                : strategy.waves().stream().map(w -> new StartRollout.WaveSpec(w.name(), w.selector(), w.clusterIds(),
                        Boolean.TRUE.equals(w.pauseAfter()))).toList();
        return new StartRollout(Product.fromId(product).orElseThrow(), TargetVersion.parse(targetVersion)
                .orElseThrow(), selector, clusterIds, strategy == null ? null : strategy.maxParallel(),
                strategy == null || strategy.failurePolicy() == null ? null
                        : strategy.failurePolicy().maxFailedClusters(), waves, "skip".equals(busyClusters), probe,
                recoveryOf == null ? null : new StartRollout.RecoveryOf(recoveryOf.rolloutId(), recoveryOf.clusterId()));
    }
}
