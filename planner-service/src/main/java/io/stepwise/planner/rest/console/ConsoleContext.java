package io.stepwise.planner.rest.console;

import io.quarkus.security.identity.SecurityIdentity;
import io.stepwise.planner.config.SecurityConfig;
import io.stepwise.planner.rest.Caller;
import jakarta.enterprise.context.RequestScoped;

/** The console's view of the current request: who it is for, and the name the audit trails record. */
@RequestScoped
public class ConsoleContext {

    private final SecurityIdentity identity;
    private final SecurityConfig security;
    private final Caller caller;

    ConsoleContext(SecurityIdentity identity, SecurityConfig security, Caller caller) {
        this.identity = identity;
        this.security = security;
        this.caller = caller;
    }

    ConsoleUser user() {
        return ConsoleUser.of(identity, security.enabled());
    }

    String actor() {
        return caller.actor();
    }
}
