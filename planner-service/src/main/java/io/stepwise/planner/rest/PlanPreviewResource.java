package io.stepwise.planner.rest;

import io.stepwise.planner.service.PreviewService;
import io.stepwise.planner.rest.problem.ProblemException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/plans/preview")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Plans", description = "Dry runs of the planning rules")
public class PlanPreviewResource {

    private final PreviewService previews;

    public PlanPreviewResource(PreviewService previews) {
        this.previews = previews;
    }

    @POST
    @Operation(summary = "Plan clusters without changing anything",
            description = "Each cluster gets the vendor-correct ordered steps, each naming its rule, or a refusal"
                    + " with a code and a sentence saying what to do instead.")
    public PreviewResponse preview(
            @Parameter(description = "full (default): every step with its rule, reason and params;"
                    + " summary: path and step count only, for large fleets")
            @QueryParam("view") @DefaultValue("full") String view,
            PreviewRequest request) {
        if (!view.equals("full") && !view.equals("summary")) {
            throw ProblemException.badRequest("view", "'" + view + "' is not a view: use full or summary");
        }
        return previews.preview(request, view.equals("full"));
    }
}
