package io.stepwise.planner.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** What the planner checks of its own database settings at start ({@link DefaultPasswordCheck}). */
@ConfigMapping(prefix = "stepwise.datasource")
public interface DatasourceConfig {

    /**
     * Whether to refuse to start with the built-in database password ({@code stepwise}) or an empty one. Unset: only
     * in the {@code prod} profile, what the packaged jar runs.
     */
    Optional<Boolean> refuseDefaultPassword();
}
