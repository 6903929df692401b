package io.stepwise.planner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/** Rollout defaults and safety nets ({@code stepwise.rollouts.*}). */
@ConfigMapping(prefix = "stepwise.rollouts")
public interface OrchestrationConfig {

    /** Clusters upgraded at once when a rollout does not say: one, the safe default. */
    @WithDefault("1")
    int defaultMaxParallel();

    /** Failed clusters after which a rollout stops releasing clusters when it does not say: the first one. */
    @WithDefault("1")
    int defaultMaxFailedClusters();

    /**
     * A step the executor has said nothing about for this long is failed, and its attempt stopped. A running step
     * reports at least every heartbeat, so this catches a lost executor; it is above the executor's longest deadline
     * (6 h for a backup or restore), which fails a step that is alive but too slow.
     */
    @WithDefault("PT7H")
    Duration stepTimeout();

    /**
     * How long a retry waits for the executor to report the end of the attempt before it (which a timeout asked to
     * stop) before it starts anyway: above the executor's lease, after which no executor runs that attempt.
     */
    @WithDefault("PT2M")
    Duration attemptStopGrace();

    /**
     * Whether a rollout is planned from what its clusters really run (the executor probes them first, and the
     * rollout is PENDING meanwhile) when its request does not say ({@code "probe"}).
     */
    @WithDefault("true")
    boolean probeClusters();

    /** How long a pending rollout waits for its probes; a cluster that did not answer by then is skipped. */
    @WithDefault("PT2M")
    Duration probeTimeout();

    /** How often step timeouts are checked. */
    @WithDefault("PT30S")
    Duration timeoutCheckInterval();

    /** How often {@code GET /rollouts/{id}/watch} looks for changes to send. */
    @WithDefault("PT1S")
    Duration watchInterval();

    /**
     * How often the planner looks for what time alone moves on: scheduled rollouts due, soaks ended, clusters whose
     * freeze ended or whose maintenance window opened.
     */
    @WithDefault("PT10S")
    Duration calendarCheckInterval();

    /** A step's estimated duration where {@link #stepEstimates()} names none: what a maintenance window must hold. */
    @WithDefault("PT15M")
    Duration defaultStepEstimate();

    /** Estimated durations by step kind (e.g. {@code stepwise.rollouts.step-estimates.BACKUP=PT1H}). */
    Map<String, Duration> stepEstimates();
}
