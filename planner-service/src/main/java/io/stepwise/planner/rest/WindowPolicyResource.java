package io.stepwise.planner.rest;

import io.stepwise.planner.domain.InvalidInputException;
import io.stepwise.planner.rest.ClusterRequest.WindowRequest;
import io.stepwise.planner.domain.MaintenanceWindow;
import io.stepwise.planner.domain.WindowPolicy;
import io.stepwise.planner.service.WindowPolicyService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/window-policies")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Window policies", description = "Maintenance windows by name; a cluster labelled"
        + " stepwise.io/window-policy=<name> without windows of its own takes them")
public class WindowPolicyResource {

    public record WindowPolicyRequest(@NotNull(message = "required") @NotEmpty(message = "give one window at least")
                                      @Size(max = 14, message = "at most {max} windows")
                                      List<@NotNull(message = "a window is required")
                                              @Valid WindowRequest> windows) {
    }

    public record WindowPolicyView(String name, List<MaintenanceWindow> windows, String actor, Instant updatedAt) {

        static WindowPolicyView of(WindowPolicy p) {
            return new WindowPolicyView(p.name, p.windows, p.actor, p.updatedAt);
        }
    }

    private final WindowPolicyService policies;
    private final Caller caller;

    public WindowPolicyResource(WindowPolicyService policies, Caller caller) {
        this.policies = policies;
        this.caller = caller;
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    @Operation(operationId = "listWindowPolicies", summary = "The window policies, by name")
    public List<WindowPolicyView> list() {
        return policies.list().stream().map(WindowPolicyView::of).toList();
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    @Path("/{name}")
    @Operation(operationId = "getWindowPolicy", summary = "A window policy")
    public WindowPolicyView get(@PathParam("name") String name) {
        return WindowPolicyView.of(policies.get(name));
    }

    @RolesAllowed(Roles.OPERATOR)
    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "putWindowPolicy", summary = "Save a window policy under a name, or replace it")
    @APIResponse(responseCode = "200", description = "Replaced", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = WindowPolicyView.class)))
    @APIResponse(responseCode = "201", description = "Created", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = WindowPolicyView.class)))
    public Response put(@PathParam("name") String name,
                        @NotNull(message = "a window policy is required") @Valid WindowPolicyRequest body) {
        if (name == null || !name.matches(RolloutRequest.SAVED_STRATEGY_NAME)) {
            throw InvalidInputException.of("name", "'" + name + "' is no policy name: 1-63 lower-case letters,"
                    + " digits and '-'");
        }
        boolean created = policies.put(name, ClusterRequest.windows(body.windows()), caller.actor());
        WindowPolicyView view = WindowPolicyView.of(policies.get(name));
        return created ? Response.created(URI.create("/api/v1/window-policies/" + name)).entity(view).build()
                : Response.ok(view).build();
    }

    @RolesAllowed(Roles.OPERATOR)
    @DELETE
    @Path("/{name}")
    @Operation(operationId = "deleteWindowPolicy", summary = "Delete a window policy",
            description = "Clusters that name it then wait: a cluster is never changed outside the windows it asked for")
    @APIResponse(responseCode = "204", description = "Removed")
    public Response delete(@PathParam("name") String name) {
        policies.delete(name, caller.actor());
        return Response.noContent().build();
    }
}
