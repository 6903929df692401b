package io.stepwise.planner.rest;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import io.stepwise.planner.domain.InvalidInputException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Who sent the current request, as the audit trails and the lifecycle events record it: the token's subject. A
 * service account holding the {@code impersonator} role may name the person it acts for in {@code X-Stepwise-Actor};
 * both names are then recorded ("alice (via cmdb-sync)"). Anyone else naming someone is refused.
 */
@RequestScoped
public class Caller {

    static final String ACTOR_HEADER = "X-Stepwise-Actor";
    private static final Pattern NAME = Pattern.compile("[\\w.@:-]{1,100}");

    private final SecurityIdentity identity;
    private final HttpServerRequest request;

    Caller(SecurityIdentity identity, HttpServerRequest request) {
        this.identity = identity;
        this.request = request;
    }

    /** The Stepwise roles the caller holds (implied ones included). */
    public Set<String> roles() {
        return Stream.of(Roles.VIEWER, Roles.OPERATOR, Roles.APPROVER, Roles.ADMIN).filter(identity::hasRole)
                .collect(Collectors.toSet());
    }

    public String actor() {
        String caller = identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
        String actingFor = request.getHeader(ACTOR_HEADER);
        if (actingFor == null) {
            return caller;
        }
        if (!identity.hasRole(Roles.IMPERSONATOR)) {
            throw new ForbiddenException(ACTOR_HEADER + " names who a request acts for, and only a service account"
                    + " with the role '" + Roles.IMPERSONATOR + "' may send it: leave it out, the audit trail records"
                    + " you (" + caller + ")");
        }
        if (!NAME.matcher(actingFor).matches()) {
            throw InvalidInputException.of(ACTOR_HEADER, "must be 1 to 100 letters, digits or . _ @ : -");
        }
        return actingFor + " (via " + caller + ")";
    }
}
