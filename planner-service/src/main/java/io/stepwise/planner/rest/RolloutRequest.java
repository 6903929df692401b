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
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
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
                             @JsonInclude(JsonInclude.Include.NON_NULL)
                             @Schema(implementation = String.class, format = "date-time", nullable = true,
                                     description = "SCHEDULED until then; planned when it starts. Left out: now")
                             Instant startAt,
                             @JsonInclude(JsonInclude.Include.NON_NULL)
                             @Schema(nullable = true, description = "clusters registered later that match the"
                                     + " selector join the last wave until the rollout ends")
                             Boolean followSelector,
                             @JsonInclude(JsonInclude.Include.NON_NULL)
                             @Schema(nullable = true, description = "a saved strategy (/api/v1/strategies/{name})"
                                     + " instead of strategy")
                             @Pattern(regexp = SAVED_STRATEGY_NAME, message = "'${validatedValue}' is no strategy"
                                     + " name: 1-63 lower-case letters, digits and '-'")
                             String strategyName,
                             // left out of the request's idempotency hash when absent, as before it existed
                             @JsonInclude(JsonInclude.Include.NON_NULL) @Valid RecoveryOf recoveryOf) {

    /** The name of a saved strategy. */
    public static final String SAVED_STRATEGY_NAME = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";

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
                           @Valid FailurePolicy failurePolicy,
                           @JsonInclude(JsonInclude.Include.NON_NULL)
                           List<@NotNull(message = "a gate is required") @Valid GateRequest> gates) {
    }

    /** A gate: before a wave starts or after it ends, the rollout waits for a person with {@code role}. */
    public record GateRequest(@NotNull @Pattern(regexp = "before|after", message = "'${validatedValue}' is neither"
                                      + " before nor after") String when,
                              @NotNull String wave,
                              @Schema(description = "approver (the default) or admin") String role) {
    }

    /**
     * One wave: the rollout's clusters matching {@code selector}, or those named in {@code clusterIds}, or (with
     * neither) all clusters not in an earlier wave. Clusters in no wave form a last wave, "remaining".
     * {@code pauseAfter}: pause the rollout when this wave has ended, until someone resumes it.
     */
    public record WaveRequest(String name, String selector, List<String> clusterIds, Boolean pauseAfter,
                              @JsonInclude(JsonInclude.Include.NON_NULL)
                              @Schema(description = "a count (\"3\") or a percentage of the wave's clusters"
                                      + " (\"10%\"); left out: the rollout's", example = "10%")
                              String maxParallel,
                              @JsonInclude(JsonInclude.Include.NON_NULL)
                              @Schema(description = "failed clusters of this wave that fail the rollout: a count or"
                                      + " a percentage", example = "1")
                              String maxFailed,
                              @JsonInclude(JsonInclude.Include.NON_NULL)
                              @Schema(description = "soak after the wave ends before the next starts (ISO-8601, at"
                                      + " most P30D)", example = "PT2H")
                              String waitAfter) {
    }

    /** {@code maxFailedClusters}: after this many failed clusters, no further cluster is started. */
    public record FailurePolicy(@Range(min = 1, max = 10_000) Integer maxFailedClusters) {
    }

    /** The same request with this strategy (a saved one it named). */
    public RolloutRequest withStrategy(Strategy saved) {
        return new RolloutRequest(product, targetVersion, selector, clusterIds, saved, busyClusters, probe, startAt,
                followSelector, strategyName, recoveryOf);
    }

    /** The command this valid request asks for. */
    public StartRollout toCommand() {
        List<StartRollout.WaveSpec> waves = strategy == null || strategy.waves() == null ? List.of()
                : strategy.waves().stream().map(w -> new StartRollout.WaveSpec(w.name(), w.selector(), w.clusterIds(),
                        Boolean.TRUE.equals(w.pauseAfter()), w.maxParallel(), w.maxFailed(), w.waitAfter())).toList();
        List<StartRollout.GateSpec> gates = strategy == null || strategy.gates() == null ? List.of()
                : strategy.gates().stream().map(g -> new StartRollout.GateSpec(g.when(), g.wave(), g.role())).toList();
        return new StartRollout(Product.fromId(product).orElseThrow(), TargetVersion.parse(targetVersion)
                .orElseThrow(), selector, clusterIds, strategy == null ? null : strategy.maxParallel(),
                strategy == null || strategy.failurePolicy() == null ? null
                        : strategy.failurePolicy().maxFailedClusters(), waves, "skip".equals(busyClusters), probe,
                startAt, gates, Boolean.TRUE.equals(followSelector), strategyName,
                recoveryOf == null ? null : new StartRollout.RecoveryOf(recoveryOf.rolloutId(), recoveryOf.clusterId()));
    }
}
