package io.stepwise.planner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Rollout defaults and safety nets ({@code stepwise.rollouts.*}). */
@ConfigMapping(prefix = "stepwise.rollouts")
public interface OrchestrationConfig {

    /** Clusters upgraded at once when a rollout does not say: one, the safe default. */
    @WithDefault("1")
    int defaultMaxParallel();

    /** Failed clusters after which a rollout stops releasing clusters when it does not say: the first one. */
    @WithDefault("1")
    int defaultMaxFailedClusters();

    /** A step with no status for this long is failed with a clear reason (backups of big clusters take hours). */
    @WithDefault("PT6H")
    Duration stepTimeout();

    /** How often step timeouts are checked. */
    @WithDefault("PT30S")
    Duration timeoutCheckInterval();

    /** How often {@code GET /rollouts/{id}/watch} looks for changes to send. */
    @WithDefault("PT1S")
    Duration watchInterval();
}
