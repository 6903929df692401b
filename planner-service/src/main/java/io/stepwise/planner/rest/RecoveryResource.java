package io.stepwise.planner.rest;

import io.stepwise.planner.service.RecoveryService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The recovery preview of a failed cluster. Its class path is the whole path, never a prefix of another: a JAX-RS
 * class whose path is a prefix of {@link RolloutResource}'s methods' paths would take their requests from it.
 */
@Path("/api/v1/rollouts/{id}/clusters/{clusterId}/recovery")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Rollouts")
public class RecoveryResource {

    private final RecoveryService recoveries;

    public RecoveryResource(RecoveryService recoveries) {
        this.recoveries = recoveries;
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    @Operation(operationId = "getClusterRecovery", summary = "How a cluster that failed in a rollout can get back",
            description = "Where the cluster stands (its verified version, the failed step), the version it ran"
                    + " before the rollout and the pre-upgrade backup; then each way back (a downgrade, a restore of"
                    + " the backup) with whether the vendor's rules allow it, the rule and why, its steps, and the"
                    + " request that starts it as a new rollout. Changes nothing.")
    public RecoveryView get(@PathParam("id") String id, @PathParam("clusterId") String clusterId) {
        return RecoveryView.of(recoveries.preview(id, clusterId));
    }
}
