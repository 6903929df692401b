package io.stepwise.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How a service's outbox relay publishes, and how long it keeps what it sent. */
@ConfigMapping(prefix = "stepwise.outbox")
public interface OutboxConfig {

    /** The CloudEvents {@code source} of this service's events, e.g. {@code /stepwise/planner}. */
    String source();

    /** Most rows the relay publishes in one batch. */
    @WithDefault("500")
    int batchSize();

    /** How often the relay looks for unsent rows when nothing wakes it (a safety net, e.g. after a restart). */
    @WithDefault("PT0.5S")
    Duration pollInterval();

    /** Sent rows are kept this long (to look up what was published), then deleted; unsent rows never are. */
    @WithDefault("P7D")
    Duration retention();
}
