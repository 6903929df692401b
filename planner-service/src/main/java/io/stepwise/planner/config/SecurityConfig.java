package io.stepwise.planner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Who may do what ({@code stepwise.security.*}); the issuer and the role mapping are {@code quarkus.oidc.*}. */
@ConfigMapping(prefix = "stepwise.security")
public interface SecurityConfig {

    /**
     * False only for demos (./stepwise --no-auth): every request is then allowed everything, as "anonymous".
     */
    @WithDefault("true")
    boolean enabled();

    /** Whether the person who started a rollout may approve its steps (the four-eyes rule says no). */
    @WithDefault("false")
    boolean starterMayApprove();
}
