package io.stepwise.planner.rest;

import io.stepwise.planner.rest.problem.Problem;
import jakarta.annotation.security.RolesAllowed;
import io.stepwise.planner.domain.InvalidInputException;
import io.stepwise.planner.rest.validation.DistinctIds;
import io.stepwise.planner.rest.validation.Validation;
import io.stepwise.planner.service.InventoryService;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/clusters")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Clusters", description = "The inventory of clusters Stepwise can upgrade")
public class ClusterResource {

    private final InventoryService inventory;
    private final Validator validator;
    private final Caller caller;

    public ClusterResource(InventoryService inventory, Validator validator, Caller caller) {
        this.inventory = inventory;
        this.validator = validator;
        this.caller = caller;
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Operation(operationId = "registerCluster", summary = "Register a cluster")
    @APIResponse(responseCode = "201", description = "Registered",
            headers = @Header(name = "Location", description = "/api/v1/clusters/{id}"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ClusterView.class),
                    examples = @ExampleObject(name = "registered", value = ApiExamples.CLUSTER)))
    @APIResponse(responseCode = "400", description = "Malformed or invalid input; every bad field is named",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "invalid", summary = "An upper-case id with spaces, nodes 0",
                            value = ApiExamples.CLUSTER_INVALID)))
    @APIResponse(responseCode = "409", description = "A cluster with this id is already registered")
    public Response register(@RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ClusterRequest.class),
            examples = @ExampleObject(name = "kubernetes", summary = "A Weaviate cluster on Kubernetes",
                    value = ApiExamples.CLUSTER_REQUEST)))
            @NotNull(message = "a cluster is required") @Valid ClusterRequest body) {
        ClusterView cluster = ClusterView.of(inventory.register(body.toCluster(), caller.actor()));
        return Response.created(URI.create("/api/v1/clusters/" + cluster.id())).entity(cluster).build();
    }

    @RolesAllowed(Roles.OPERATOR)
    @PUT
    @Path("/{id}")
    @Operation(operationId = "putCluster", summary = "Register a cluster under this id, or replace its registration",
            description = "Idempotent: what keeps the inventory in step with a source kept elsewhere. A replacement"
                    + " keeps createdAt and, when the body has no version, the version on record; rollouts already"
                    + " started keep the connection they were planned with. The body's id may be left out.")
    @APIResponse(responseCode = "201", description = "Registered anew",
            headers = @Header(name = "Location", description = "/api/v1/clusters/{id}"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ClusterView.class)))
    @APIResponse(responseCode = "200", description = "The registration was replaced",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ClusterView.class)))
    @APIResponse(responseCode = "400", description = "Malformed or invalid input, or a body id other than the"
            + " path's; every bad field is named and nothing changes",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response put(@PathParam("id") String id,
                        @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                schema = @Schema(implementation = ClusterRequest.class),
                                examples = @ExampleObject(name = "kubernetes", summary = "A Weaviate cluster on Kubernetes",
                                        value = ApiExamples.CLUSTER_REQUEST))) ClusterRequest body) {
        if (body == null) {
            throw InvalidInputException.of("body", "a cluster is required");
        }
        if (body.id() != null && !body.id().equals(id)) {
            throw InvalidInputException.of("id", "'" + body.id() + "' is not the id in the path, '" + id
                    + "': leave it out or make them the same");
        }
        ClusterRequest request = body.withId(id);
        Validation.check(validator, request);
        InventoryService.Put put = inventory.put(request.toCluster(), caller.actor());
        ClusterView cluster = ClusterView.of(put.cluster());
        return put.created()
                ? Response.created(URI.create("/api/v1/clusters/" + id)).entity(cluster).build()
                : Response.ok(cluster).build();
    }

    /** Body of {@code POST /api/v1/clusters/batch}. */
    public record BatchRequest(
            @DistinctIds List<@NotNull(message = "a cluster is required") @Valid ClusterRequest> clusters) {
    }

    /** What a batch did: how many clusters were registered anew and how many registrations replaced. */
    public record BatchView(int created, int replaced) {
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("/batch")
    @Operation(operationId = "putClusters", summary = "Register or replace many clusters at once, all or none",
            description = "Each cluster as PUT /clusters/{id} would take it (registered anew, or its registration "
                    + "replaced keeping createdAt and, without a version, the version on record), up to 10,000 in "
                    + "one transaction. Any problem in any cluster is a 400 naming it (clusters[3].version) and "
                    + "nothing changes.")
    @APIResponse(responseCode = "200", description = "How many were registered anew and how many replaced",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = BatchView.class)))
    @APIResponse(responseCode = "400", description = "Every bad field of every cluster is named; nothing changed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public BatchView putAll(@RequestBody(required = true) @Valid BatchRequest body) {
        List<ClusterRequest> requests = body == null ? null : body.clusters();
        InventoryService.BatchPut done = inventory.putAll(requests == null ? null
                : requests.stream().map(ClusterRequest::toCluster).toList(), caller.actor());
        return new BatchView(done.created(), done.replaced());
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    @Operation(operationId = "listClusters", summary = "List clusters, optionally by label selector and product, one page at a time")
    public PageView<ClusterView> list(
            @Parameter(description = "Kubernetes-style label selector, e.g. env=prod,region in (eu,us)")
            @QueryParam("selector") String selector,
            @Parameter(description = "weaviate or pachyderm") @QueryParam("product") String product,
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("50") int size) {
        return PageView.of(inventory.list(selector, product, page, size), ClusterView::of);
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    @Path("/{id}")
    @Operation(operationId = "getCluster", summary = "Get one cluster")
    public ClusterView get(@PathParam("id") String id) {
        return ClusterView.of(inventory.get(id));
    }

    @RolesAllowed(Roles.ADMIN)
    @DELETE
    @Path("/{id}")
    @Operation(operationId = "deleteCluster", summary = "Remove a cluster from the inventory")
    @APIResponse(responseCode = "204", description = "Removed")
    public Response delete(@PathParam("id") String id) {
        inventory.delete(id, caller.actor());
        return Response.noContent().build();
    }

    /** Why a cluster is to be left alone. */
    public record HoldRequest(@NotBlank(message = "say why the cluster is held") @Size(max = 500,
            message = "longer than {max} characters") String reason) {
    }

    @RolesAllowed(Roles.OPERATOR)
    @PUT
    @Path("/{id}/hold")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "holdCluster", summary = "Keep rollouts off a cluster",
            description = "A new rollout skips it (HELD); a running one stops it at its next safe point")
    public ClusterView hold(@PathParam("id") String id,
                            @NotNull(message = "a hold request is required") @Valid HoldRequest body) {
        return ClusterView.of(inventory.hold(id, body.reason().trim(), caller.actor()));
    }

    @RolesAllowed(Roles.OPERATOR)
    @DELETE
    @Path("/{id}/hold")
    @Operation(operationId = "releaseCluster", summary = "Release a cluster's hold")
    public ClusterView release(@PathParam("id") String id) {
        return ClusterView.of(inventory.release(id, caller.actor()));
    }
}
