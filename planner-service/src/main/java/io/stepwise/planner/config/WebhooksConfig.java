package io.stepwise.planner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How webhook deliveries are sent and retried ({@code stepwise.webhooks.*}; README, "Webhooks"). */
@ConfigMapping(prefix = "stepwise.webhooks")
public interface WebhooksConfig {

    /** How often the sender looks for deliveries that are due. */
    @WithDefault("PT1S")
    Duration pollInterval();

    /** The wait after a first failed attempt; it doubles after each further failure, up to {@link #maxBackoff()}. */
    @WithDefault("PT10S")
    Duration firstBackoff();

    /** The longest wait between two attempts. */
    @WithDefault("PT10M")
    Duration maxBackoff();

    /** Attempts after which a delivery that never got a 2xx answer is FAILED and not sent again. */
    @WithDefault("8")
    int maxAttempts();

    /** How long one attempt may take, connecting included; longer is a failed attempt. */
    @WithDefault("PT10S")
    Duration requestTimeout();

    /** Most deliveries one instance sends at once. */
    @WithDefault("50")
    int batchSize();

    /** DELIVERED and FAILED deliveries are deleted from the log this long after they were created. */
    @WithDefault("P30D")
    Duration retention();
}
