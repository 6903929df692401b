package io.stepwise.planner.rest;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.stepwise.planner.config.SecurityConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * With {@code stepwise.security.enabled=false} (demos only), every caller is "anonymous" with every role. Said
 * loudly at start, so that nobody runs it so by mistake.
 */
@ApplicationScoped
public class OpenAccess implements SecurityIdentityAugmentor {

    private final SecurityConfig config;

    OpenAccess(SecurityConfig config) {
        this.config = config;
    }

    void warn(@Observes StartupEvent started) {
        if (!config.enabled()) {
            Log.warn("AUTHENTICATION IS OFF (stepwise.security.enabled=false): anyone who reaches this planner may"
                    + " start, steer and approve rollouts and change the inventory and the catalog. For demos only.");
        }
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (config.enabled() || !identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal("anonymous"))
                .addRoles(java.util.Set.of(Roles.VIEWER, Roles.OPERATOR, Roles.APPROVER, Roles.ADMIN))
                .setAnonymous(false)
                .build());
    }
}
