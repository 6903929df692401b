package io.stepwise.planner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The planner's settings ({@code stepwise.*}), with safe defaults. */
@ConfigMapping(prefix = "stepwise")
public interface PlannerConfig {

    Planning planning();

    Catalog catalog();

    Api api();

    interface Planning {
        /** How long a SYNC_CHECK waits for the cluster to synchronize; the vendor's script uses 300 s. */
        @WithDefault("300S")
        Duration syncCheckTimeout();
    }

    interface Catalog {
        /**
         * A folder of catalog files named {@code <product>.json} (e.g. {@code weaviate.json}); a file found
         * there replaces the built-in catalog of its product. A catalog put through the API wins over both.
         */
        Optional<Path> directory();
    }

    interface Api {
        /** Most clusters one preview may name inline. */
        @WithDefault("10000")
        int maxInlineClusters();

        /** How long {@code POST /plans/preview?probe=true} waits for the executor's probes. */
        @WithDefault("PT30S")
        Duration previewProbeTimeout();

        /** Largest page a list call may ask for. */
        @WithDefault("500")
        int maxPageSize();
    }
}
