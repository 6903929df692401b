package io.stepwise.planner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;

/** How the planner talks to Kafka: the topics it creates, and how long it remembers applied events. */
@ConfigMapping(prefix = "stepwise.kafka")
public interface KafkaConfig {

    /** Partitions of the topics the planner creates when missing; bounds how many executors share the work. */
    @WithDefault("12")
    int partitions();

    @WithName("replication-factor")
    @WithDefault("1")
    short replicationFactor();

    /**
     * Ids of applied status events are kept this long to recognise a redelivery, then deleted. Kafka redelivers
     * only what was not yet committed (seconds), so days are plenty; keep it above any offset reset you may do.
     */
    @WithDefault("P7D")
    Duration processedEventRetention();
}
