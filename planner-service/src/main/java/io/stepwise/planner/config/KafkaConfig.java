package io.stepwise.planner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;

/** How the planner talks to Kafka: topics it creates and how its outbox relay publishes. */
@ConfigMapping(prefix = "stepwise.kafka")
public interface KafkaConfig {

    /** Partitions of the topics the planner creates when missing; bounds how many executors share the work. */
    @WithDefault("12")
    int partitions();

    @WithName("replication-factor")
    @WithDefault("1")
    short replicationFactor();

    /** Most outbox rows the relay publishes in one batch. */
    @WithDefault("500")
    int relayBatchSize();

    /** How often the relay looks for unsent rows when nothing wakes it (a safety net, e.g. after a restart). */
    @WithDefault("PT0.5S")
    Duration relayPollInterval();

    /** Sent outbox rows are kept this long (to look up what was published), then deleted. */
    @WithDefault("P7D")
    Duration outboxRetention();

    /**
     * Ids of applied status events are kept this long to recognise a redelivery, then deleted. Kafka redelivers
     * only what was not yet committed (seconds), so days are plenty; keep it above any offset reset you may do.
     */
    @WithDefault("P7D")
    Duration processedEventRetention();
}
