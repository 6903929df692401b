package io.stepwise.planner.rest;

import jakarta.annotation.security.RolesAllowed;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.planner.domain.AuditEntry;
import io.stepwise.planner.domain.AuditVerification;
import io.stepwise.planner.rest.problem.Problem;
import io.stepwise.planner.domain.InvalidInputException;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.stepwise.planner.service.RolloutService;
import io.stepwise.planner.service.StrategyService;
import io.stepwise.planner.service.RolloutWatch;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

@Path("/api/v1/rollouts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Rollouts", description = "Upgrades of many clusters, step by step, with pause, resume and cancel")
public class RolloutResource {

    private static final String VIEW = "full (default): every cluster with its steps; summary: counts by state and"
            + " wave only, without the clusters, for large fleets";

    public record AuditView(int seq, Instant at, String actor, String type,
                            @Schema(nullable = true) String clusterId, @Schema(nullable = true) Integer stepSeq,
                            JsonNode details,
                            String hash, String prevHash) {
    }

    private final RolloutService rollouts;
    private final ObjectMapper json;
    private final RolloutWatch watch;
    private final Caller caller;
    private final StrategyService strategies;

    public RolloutResource(RolloutService rollouts, ObjectMapper json, RolloutWatch watch, Caller caller,
                           StrategyService strategies) {
        this.strategies = strategies;
        this.watch = watch;
        this.rollouts = rollouts;
        this.json = json;
        this.caller = caller;
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "startRollout", summary = "Start a rollout", description = "Plans every selected registered cluster and starts"
            + " upgrading them. Refused clusters are listed in the rollout as SKIPPED with their reason."
            + " The same Idempotency-Key and body return the same rollout.")
    @APIResponse(responseCode = "202", description = "Accepted and started; the rollout goes on in the background",
            headers = @Header(name = "Location", description = "/api/v1/rollouts/{id}, to follow its progress"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = RolloutView.class),
                    examples = @ExampleObject(name = "started", summary = "The answer to the 'clusterIds' request",
                            value = ApiExamples.ROLLOUT_STARTED)))
    @APIResponse(responseCode = "400", description = "Malformed or invalid input; every bad field is named",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "invalid", summary = "The 'clusterIds' request with maxParallel 0",
                            value = ApiExamples.ROLLOUT_INVALID)))
    public Response create(@Parameter(description = "Makes a retried request return the same rollout; the same key"
                                   + " with another body is a 422", schema = @Schema(type = SchemaType.STRING,
                                   minLength = 1, maxLength = 200))
                           @HeaderParam("Idempotency-Key") String idempotencyKey,
                           @Parameter(description = VIEW) @QueryParam("view") @DefaultValue("full") String view,
                           @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                   schema = @Schema(implementation = RolloutRequest.class), examples = {
                                           @ExampleObject(name = "clusterIds", summary = "Registered clusters by id",
                                                   value = ApiExamples.ROLLOUT_REQUEST),
                                           @ExampleObject(name = "selector", summary = "By labels, canary wave first, then pause",
                                                   value = ApiExamples.ROLLOUT_SELECTOR_REQUEST)}))
                           @NotNull(message = "a rollout request is required") @Valid RolloutRequest body) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
            throw InvalidInputException.of("Idempotency-Key", "must be 1 to 200 characters");
        }
        View shown = View.of(view);
        RolloutRequest asked = body;
        if (body.strategyName() != null) {
            if (body.strategy() != null) {
                throw InvalidInputException.of("strategyName", "give a strategy or a strategyName, not both");
            }
            asked = body.withStrategy(StrategyResource.strategyOf(json, strategies.named(body.strategyName())));
        }
        RolloutService.Created created = rollouts.create(asked.toCommand(), idempotencyKey, RequestHash.of(body),
                caller.actor());
        return Response.accepted(view(created.rolloutId(), shown))
                .location(URI.create("/api/v1/rollouts/" + created.rolloutId()))
                .build();
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    @Operation(operationId = "listRollouts", summary = "List rollouts, newest first")
    public PageView<RolloutView> list(
            @Parameter(description = "PENDING, RUNNING, PAUSED, SUCCEEDED, FAILED or CANCELLED")
            @QueryParam("state") String state,
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("20") int size) {
        return PageView.of(rollouts.list(state, page, size), RolloutView::summary);
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    @Path("/{id}")
    @Operation(operationId = "getRollout", summary = "A rollout with the progress of every cluster and step")
    @APIResponse(responseCode = "200", description = "The rollout",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = RolloutView.class),
                    examples = @ExampleObject(name = "running", summary = "Backed up, synchronized, upgrading",
                            value = ApiExamples.ROLLOUT_RUNNING)))
    @APIResponse(responseCode = "404", description = "No rollout has this id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "unknown", value = ApiExamples.ROLLOUT_NOT_FOUND)))
    public RolloutView get(@PathParam("id") String id,
                           @Parameter(description = VIEW) @QueryParam("view") @DefaultValue("full") String view) {
        return view(id, View.of(view));
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("/{id}/pause")
    @Operation(operationId = "pauseRollout", summary = "Stop releasing steps; steps already running finish")
    public RolloutView pause(@PathParam("id") String id,
                             @Parameter(description = VIEW) @QueryParam("view") @DefaultValue("full") String view) {
        View shown = View.of(view);
        rollouts.pause(id, caller.actor());
        return view(id, shown);
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("/{id}/resume")
    @Operation(operationId = "resumeRollout", summary = "Release steps again")
    public RolloutView resume(@PathParam("id") String id,
                             @Parameter(description = VIEW) @QueryParam("view") @DefaultValue("full") String view) {
        View shown = View.of(view);
        rollouts.resume(id, caller.actor());
        return view(id, shown);
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("/{id}/cancel")
    @Operation(operationId = "cancelRollout", summary = "Stop everything that has not started; running steps finish, then their clusters halt")
    public RolloutView cancel(@PathParam("id") String id,
                             @Parameter(description = VIEW) @QueryParam("view") @DefaultValue("full") String view) {
        View shown = View.of(view);
        rollouts.cancel(id, caller.actor());
        return view(id, shown);
    }

    @RolesAllowed(Roles.APPROVER)
    @POST
    @Path("/{id}/gate/approve")
    @Operation(operationId = "approveGate", summary = "Let the rollout past the gate it waits at",
            description = "Needs the gate's role; the rollout's starter may not approve (four eyes)")
    public RolloutView approveGate(@PathParam("id") String id,
                                   @Parameter(description = VIEW) @QueryParam("view") @DefaultValue("full") String view) {
        View shown = View.of(view);
        rollouts.approveGate(id, caller.roles(), caller.actor());
        return view(id, shown);
    }

    @RolesAllowed(Roles.APPROVER)
    @POST
    @Path("/{id}/wait/end")
    @Operation(operationId = "endWait", summary = "End the soak the rollout waits out, now")
    public RolloutView endWait(@PathParam("id") String id,
                               @Parameter(description = VIEW) @QueryParam("view") @DefaultValue("full") String view) {
        View shown = View.of(view);
        rollouts.endWait(id, caller.actor());
        return view(id, shown);
    }

    @RolesAllowed(Roles.APPROVER)
    @POST
    @Path("/{id}/clusters/{clusterId}/approve")
    @Operation(operationId = "approveCluster", summary = "Approve a cluster waiting at a MANUAL_APPROVAL step")
    public RolloutView approve(@PathParam("id") String id, @PathParam("clusterId") String clusterId,
                               @Parameter(description = VIEW) @QueryParam("view") @DefaultValue("full") String view) {
        View shown = View.of(view);
        rollouts.approve(id, clusterId, caller.actor());
        return view(id, shown);
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("/{id}/clusters/{clusterId}/retry")
    @Operation(operationId = "retryCluster", summary = "Run a failed cluster's failed step again (a new attempt), once its cause is fixed",
            description = "The cluster goes back to RUNNING and its failed step is sent again as a new attempt; a "
                    + "rollout that had ended is reopened for it. 409 when the cluster is not FAILED or the "
                    + "rollout was cancelled.")
    public RolloutView retry(@PathParam("id") String id, @PathParam("clusterId") String clusterId,
                             @Parameter(description = VIEW) @QueryParam("view") @DefaultValue("full") String view) {
        View shown = View.of(view);
        rollouts.retry(id, clusterId, caller.actor());
        return view(id, shown);
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    @Path("/{id}/watch")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(operationId = "watchRollout", summary = "Follow a rollout live (Server-Sent Events)",
            description = "The first event is the whole rollout; each later one carries the rollout's state, counts "
                    + "and waves with only the clusters that changed (their steps included); with ?view=summary, "
                    + "every event is the summary (counts by state and wave, no clusters), sent whenever the rollout "
                    + "changed. The stream ends after the event of the finished rollout. Works against any planner "
                    + "instance.")
    @Blocking // the 404 check reads the database; the events come from RolloutWatch's own thread
    public Multi<RolloutView> watch(@PathParam("id") String id,
                                    @Parameter(description = VIEW) @QueryParam("view") @DefaultValue("full") String view) {
        return watch.follow(id, View.of(view) == View.SUMMARY).map(RolloutView::of);
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    @Path("/{id}/audit")
    @Operation(operationId = "listRolloutAudit", summary = "The rollout's audit trail, oldest first, each entry chained to the one before by hash")
    public List<AuditView> audit(@PathParam("id") String id) {
        return rollouts.auditOf(id).stream().map(this::view).toList();
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    @Path("/{id}/audit/verify")
    @Operation(operationId = "verifyRolloutAudit", summary = "Recompute the hash chain; reports the first entry that was altered or removed")
    public AuditVerification verify(@PathParam("id") String id) {
        return rollouts.verifyAudit(id);
    }

    private RolloutView view(String id, View view) {
        return view == View.SUMMARY ? RolloutView.summary(rollouts.summary(id)) : RolloutView.of(rollouts.detail(id));
    }

    private AuditView view(AuditEntry e) {
        JsonNode details;
        try {
            details = json.readTree(e.details);
        } catch (Exception unreadable) {
            details = json.getNodeFactory().textNode(e.details);
        }
        return new AuditView(e.key.seq(), e.at, e.actor, e.type, e.clusterId, e.stepSeq, details, e.hash, e.prevHash);
    }

}
