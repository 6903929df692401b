package io.stepwise.planner.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.planner.domain.InvalidInputException;
import io.stepwise.planner.domain.SavedStrategy;
import io.stepwise.planner.service.StrategyService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
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
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/strategies")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Strategies", description = "Strategies saved by name, for rollouts to refer to (strategyName)")
public class StrategyResource {

    public record StrategyView(String name,
                               @Schema(description = "the strategy object of a rollout request, as saved")
                               Map<String, Object> strategy, String actor, Instant updatedAt) {
    }

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private final StrategyService strategies;
    private final ObjectMapper json;
    /** Writes a strategy without its absent fields, as it was given. */
    private final ObjectMapper given;
    private final Caller caller;

    public StrategyResource(StrategyService strategies, ObjectMapper json, Caller caller) {
        this.strategies = strategies;
        this.json = json;
        this.given = json.copy().setSerializationInclusion(JsonInclude.Include.NON_NULL);
        this.caller = caller;
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    @Operation(operationId = "listStrategies", summary = "The saved strategies, by name")
    public List<StrategyView> list() {
        return strategies.list().stream().map(this::view).toList();
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    @Path("/{name}")
    @Operation(operationId = "getStrategy", summary = "A saved strategy")
    public StrategyView get(@PathParam("name") String name) {
        return view(strategies.get(name));
    }

    @RolesAllowed(Roles.OPERATOR)
    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "putStrategy", summary = "Save a strategy under a name, or replace it",
            description = "Rollouts started later with this strategyName use it; rollouts started before keep theirs")
    @APIResponse(responseCode = "200", description = "Replaced", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = StrategyView.class)))
    @APIResponse(responseCode = "201", description = "Created", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = StrategyView.class)))
    public Response put(@PathParam("name") String name,
                        @NotNull(message = "a strategy is required") @Valid RolloutRequest.Strategy body) {
        if (name == null || !name.matches(RolloutRequest.SAVED_STRATEGY_NAME)) {
            throw InvalidInputException.of("name", "'" + name + "' is no strategy name: 1-63 lower-case letters,"
                    + " digits and '-'");
        }
        boolean created = strategies.put(name, given.convertValue(body, MAP), caller.actor());
        StrategyView view = view(strategies.get(name));
        return created ? Response.created(URI.create("/api/v1/strategies/" + name)).entity(view).build()
                : Response.ok(view).build();
    }

    @RolesAllowed(Roles.OPERATOR)
    @DELETE
    @Path("/{name}")
    @Operation(operationId = "deleteStrategy", summary = "Delete a saved strategy",
            description = "Rollouts started with it keep what it said")
    @APIResponse(responseCode = "204", description = "Removed")
    public Response delete(@PathParam("name") String name) {
        strategies.delete(name, caller.actor());
        return Response.noContent().build();
    }

    /** The saved strategy as a rollout request's strategy. */
    static RolloutRequest.Strategy strategyOf(ObjectMapper json, SavedStrategy saved) {
        return json.convertValue(saved.body, RolloutRequest.Strategy.class);
    }

    private StrategyView view(SavedStrategy saved) {
        return new StrategyView(saved.name, saved.body, saved.actor, saved.updatedAt);
    }
}
