package io.stepwise.planner.rest.console;

import io.quarkus.oidc.OidcSession;
import io.smallrye.mutiny.Uni;
import io.stepwise.planner.rest.Roles;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Where people arrive: the planner's root leads to the console; signing out ends the console's session. */
@Path("/")
public class ConsoleEntry {

    private final Instance<OidcSession> session;

    ConsoleEntry(Instance<OidcSession> session) {
        this.session = session;
    }

    @GET
    @PermitAll
    @Operation(hidden = true)
    public Response root() {
        return Response.seeOther(URI.create("/console/fleet")).build();
    }

    @GET
    @Path("console")
    @PermitAll
    @Operation(hidden = true)
    public Response console() {
        return root();
    }

    /** Forgets the session here (the identity provider's own session, if any, is the provider's to end). */
    @POST
    @Path("console/sign-out")
    @RolesAllowed(Roles.VIEWER)
    @Operation(hidden = true)
    public Uni<Response> signOut() {
        return session.get().logout().replaceWith(Response.noContent().header("HX-Redirect", "/signed-out.html").build());
    }
}
