package io.stepwise.executor.weaviate;

import io.stepwise.executor.weaviate.WeaviateDtos.BackupCreateRequest;
import io.stepwise.executor.weaviate.WeaviateDtos.BackupCreateResponse;
import io.stepwise.executor.weaviate.WeaviateDtos.BackupListEntry;
import io.stepwise.executor.weaviate.WeaviateDtos.BackupRestoreRequest;
import io.stepwise.executor.weaviate.WeaviateDtos.BackupStatusResponse;
import io.stepwise.executor.weaviate.WeaviateDtos.ClusterStatisticsResponse;
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

/**
 * The Weaviate REST paths the executor uses. Built per cluster base URL by {@link WeaviateClient};
 * the step id and the bearer token travel as per-call headers so one client serves every step.
 */
@RegisterRestClient(configKey = "weaviate")
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
interface WeaviateApi {

    String STEP_ID = "X-Stepwise-Step-Id";
    String AUTHORIZATION = "Authorization";

    @GET
    @Path("/meta")
    Meta meta(@HeaderParam(STEP_ID) String stepId, @HeaderParam(AUTHORIZATION) String auth);

    @GET
    @Path("/nodes")
    NodesStatusResponse nodes(@HeaderParam(STEP_ID) String stepId, @HeaderParam(AUTHORIZATION) String auth);

    @GET
    @Path("/cluster/statistics")
    ClusterStatisticsResponse statistics(@HeaderParam(STEP_ID) String stepId, @HeaderParam(AUTHORIZATION) String auth);

    /** Not in the OpenAPI spec; present in 1.25.0 … 1.34.x. */
    @POST
    @Path("/cluster/schema-v1")
    void schemaV1(@HeaderParam(STEP_ID) String stepId, @HeaderParam(AUTHORIZATION) String auth);

    @POST
    @Path("/backups/{backend}")
    BackupCreateResponse createBackup(@HeaderParam(STEP_ID) String stepId, @HeaderParam(AUTHORIZATION) String auth,
            @PathParam("backend") String backend, BackupCreateRequest request);

    @GET
    @Path("/backups/{backend}")
    List<BackupListEntry> listBackups(@HeaderParam(STEP_ID) String stepId, @HeaderParam(AUTHORIZATION) String auth,
            @PathParam("backend") String backend, @QueryParam("order") String order);

    @GET
    @Path("/backups/{backend}/{id}")
    BackupStatusResponse backupStatus(@HeaderParam(STEP_ID) String stepId, @HeaderParam(AUTHORIZATION) String auth,
            @PathParam("backend") String backend, @PathParam("id") String id);

    @POST
    @Path("/backups/{backend}/{id}/restore")
    BackupStatusResponse restore(@HeaderParam(STEP_ID) String stepId, @HeaderParam(AUTHORIZATION) String auth,
            @PathParam("backend") String backend, @PathParam("id") String id, BackupRestoreRequest request);

    @GET
    @Path("/backups/{backend}/{id}/restore")
    BackupStatusResponse restoreStatus(@HeaderParam(STEP_ID) String stepId, @HeaderParam(AUTHORIZATION) String auth,
            @PathParam("backend") String backend, @PathParam("id") String id);

    @GET
    @Path("/schema")
    Schema schema(@HeaderParam(STEP_ID) String stepId, @HeaderParam(AUTHORIZATION) String auth);

    @DELETE
    @Path("/schema/{className}")
    void deleteCollection(@HeaderParam(STEP_ID) String stepId, @HeaderParam(AUTHORIZATION) String auth,
            @PathParam("className") String className);
}
