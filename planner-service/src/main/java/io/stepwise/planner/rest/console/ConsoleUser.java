package io.stepwise.planner.rest.console;

import io.quarkus.security.identity.SecurityIdentity;
import io.stepwise.planner.rest.Roles;
import java.util.List;

/**
 * Who is looking at a console page and what its buttons may offer them: the same roles the API checks, so a button
 * is shown only where its request would be allowed. {@code open}: authentication is off (a demo stack).
 */
public record ConsoleUser(String name, List<String> roles, boolean mayOperate, boolean mayApprove, boolean open) {

    static ConsoleUser of(SecurityIdentity identity, boolean securityEnabled) {
        List<String> roles = List.of(Roles.VIEWER, Roles.OPERATOR, Roles.APPROVER, Roles.ADMIN).stream()
                .filter(identity::hasRole).toList();
        return new ConsoleUser(identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName(), roles,
                identity.hasRole(Roles.OPERATOR), identity.hasRole(Roles.APPROVER), !securityEnabled);
    }

    public String rolesText() {
        return roles.isEmpty() ? "no role" : String.join(", ", roles);
    }
}
