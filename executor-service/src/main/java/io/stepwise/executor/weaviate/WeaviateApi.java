package io.stepwise.executor.weaviate;

import io.quarkus.rest.client.reactive.Url;
import io.stepwise.executor.weaviate.WeaviateDtos.BackupCreateRequest;
import io.stepwise.executor.weaviate.WeaviateDtos.BackupCreateResponse;
import io.stepwise.executor.weaviate.WeaviateDtos.BackupListEntry;
import io.stepwise.executor.weaviate.WeaviateDtos.BackupRestoreRequest;
import io.stepwise.executor.weaviate.WeaviateDtos.BackupStatusResponse;
import io.stepwise.executor.weaviate.WeaviateDtos.ClusterStatisticsResponse;
import io.stepwise.executor.weaviate.WeaviateDtos.GraphQLQuery;
import io.stepwise.executor.weaviate.WeaviateDtos.GraphQLResponse;
import io.stepwise.executor.weaviate.WeaviateDtos.Meta;
import io.stepwise.executor.weaviate.WeaviateDtos.NodesStatusResponse;
import io.stepwise.executor.weaviate.WeaviateDtos.Schema;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** Weaviate's REST paths; the base URL, step id and token are per-call, so a fleet costs no client per cluster. */
@RegisterRestClient(configKey = "weaviate")
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
interface WeaviateApi {

    String STEP_ID = "X-Stepwise-Step-Id";
    String AUTHORIZATION = "Authorization";

    @GET
    @Path("/meta")
    Meta meta(@Url String endpoint, @HeaderParam(STEP_ID) String stepId, @HeaderParam(AUTHORIZATION) String auth);

    @GET
    @Path("/nodes")
    NodesStatusResponse nodes(@Url String endpoint, @HeaderParam(STEP_ID) String stepId, @HeaderParam(AUTHORIZATION) String auth);

    @GET
    @Path("/cluster/statistics")
    ClusterStatisticsResponse statistics(@Url String endpoint, @HeaderParam(STEP_ID) String stepId, @HeaderParam(AUTHORIZATION) String auth);

    /** Not in the OpenAPI spec; present in 1.25.0 … 1.34.x. */
    @POST
    @Path("/cluster/schema-v1")
    void schemaV1(@Url String endpoint, @HeaderParam(STEP_ID) String stepId, @HeaderParam(AUTHORIZATION) String auth);

    @POST
    @Path("/backups/{backend}")
    BackupCreateResponse createBackup(@Url String endpoint, @HeaderParam(STEP_ID) String stepId, @HeaderParam(AUTHORIZATION) String auth,
            @PathParam("backend") String backend, BackupCreateRequest request);

    @GET
    @Path("/backups/{backend}")
    List<BackupListEntry> listBackups(@Url String endpoint, @HeaderParam(STEP_ID) String stepId, @HeaderParam(AUTHORIZATION) String auth,
            @PathParam("backend") String backend, @QueryParam("order") String order);

    @GET
    @Path("/backups/{backend}/{id}")
    BackupStatusResponse backupStatus(@Url String endpoint, @HeaderParam(STEP_ID) String stepId, @HeaderParam(AUTHORIZATION) String auth,
            @PathParam("backend") String backend, @PathParam("id") String id);

    @POST
    @Path("/backups/{backend}/{id}/restore")
    BackupStatusResponse restore(@Url String endpoint, @HeaderParam(STEP_ID) String stepId, @HeaderParam(AUTHORIZATION) String auth,
            @PathParam("backend") String backend, @PathParam("id") String id, BackupRestoreRequest request);

    @GET
    @Path("/backups/{backend}/{id}/restore")
    BackupStatusResponse restoreStatus(@Url String endpoint, @HeaderParam(STEP_ID) String stepId, @HeaderParam(AUTHORIZATION) String auth,
            @PathParam("backend") String backend, @PathParam("id") String id);

    @GET
    @Path("/schema")
    Schema schema(@Url String endpoint, @HeaderParam(STEP_ID) String stepId, @HeaderParam(AUTHORIZATION) String auth);

    @DELETE
    @Path("/schema/{className}")
    void deleteCollection(@Url String endpoint, @HeaderParam(STEP_ID) String stepId, @HeaderParam(AUTHORIZATION) String auth,
            @PathParam("className") String className);

    @POST
    @Path("/graphql")
    GraphQLResponse graphql(@Url String endpoint, @HeaderParam(STEP_ID) String stepId, @HeaderParam(AUTHORIZATION) String auth,
            GraphQLQuery query);
}
