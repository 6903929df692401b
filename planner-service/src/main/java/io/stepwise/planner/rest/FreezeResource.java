package io.stepwise.planner.rest;

import io.stepwise.planner.domain.Freeze;
import io.stepwise.planner.service.FreezeService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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

@Path("/api/v1/freezes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Freezes", description = "Fleet-wide freezes: no cluster begins a new segment while one is in force")
public class FreezeResource {

    public record FreezeRequest(@Schema(implementation = String.class, format = "date-time", nullable = true,
                                        description = "left out: now") Instant from,
                                @NotNull(message = "required: when the freeze ends")
                                @Schema(implementation = String.class, format = "date-time") Instant to,
                                @NotBlank(message = "say why the fleet is frozen")
                                @Size(max = 500, message = "longer than {max} characters") String reason) {
    }

    public record FreezeView(String id, Instant from, Instant to, String reason, String actor, Instant createdAt) {

        static FreezeView of(Freeze f) {
            return new FreezeView(f.id, f.startsAt, f.endsAt, f.reason, f.actor, f.createdAt);
        }
    }

    private final FreezeService freezes;
    private final Caller caller;

    public FreezeResource(FreezeService freezes, Caller caller) {
        this.freezes = freezes;
        this.caller = caller;
    }

    @RolesAllowed(Roles.ADMIN)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createFreeze", summary = "Freeze the fleet from..to",
            description = "Running steps and segments finish; no cluster begins a new one until the freeze ends")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = FreezeView.class)))
    public Response create(@NotNull(message = "a freeze request is required") @Valid FreezeRequest body) {
        Freeze freeze = freezes.create(body.from(), body.to(), body.reason().trim(), caller.actor());
        return Response.created(URI.create("/api/v1/freezes/" + freeze.id)).entity(FreezeView.of(freeze)).build();
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    @Operation(operationId = "listFreezes", summary = "The freezes in force or to come")
    public List<FreezeView> list() {
        return freezes.current().stream().map(FreezeView::of).toList();
    }

    @RolesAllowed(Roles.ADMIN)
    @DELETE
    @Path("/{id}")
    @Operation(operationId = "deleteFreeze", summary = "End a freeze (or cancel one to come)")
    @APIResponse(responseCode = "204", description = "Removed")
    public Response delete(@PathParam("id") String id) {
        freezes.delete(id, caller.actor());
        return Response.noContent().build();
    }
}
