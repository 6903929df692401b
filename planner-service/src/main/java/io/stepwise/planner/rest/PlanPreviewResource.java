package io.stepwise.planner.rest;

import jakarta.annotation.security.RolesAllowed;
import io.stepwise.model.Product;
import io.stepwise.planner.rules.ClusterFacts;
import io.stepwise.planner.rules.TargetVersion;
import io.stepwise.planner.service.PreviewService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import io.stepwise.planner.rest.problem.Problem;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
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

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Operation(operationId = "previewPlans", summary = "Plan clusters without changing anything",
            description = "Each cluster gets the vendor-correct ordered steps, each naming its rule, or a refusal"
                    + " with a code and a sentence saying what to do instead.")
    @APIResponse(responseCode = "200", description = "A plan for each cluster that can be planned, a refusal for each"
            + " one that cannot", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = PreviewResponse.class), examples = {
                    @ExampleObject(name = "full", summary = "The answer to the 'inline' request",
                            value = ApiExamples.PREVIEW_ANSWER),
                    @ExampleObject(name = "summary", summary = "The same with ?view=summary",
                            value = ApiExamples.PREVIEW_SUMMARY_ANSWER)}))
    @APIResponse(responseCode = "400", description = "Malformed or invalid input; every bad field is named",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "invalid", summary = "The 'inline' request with nodes 0 for a",
                            value = ApiExamples.PREVIEW_INVALID)))
    public PreviewResponse preview(
            @Parameter(description = "full (default): every step with its rule, reason and params;"
                    + " summary: path and step count only, for large fleets")
            @QueryParam("view") @DefaultValue("full") String view,
            @Parameter(description = "true: plan the registered clusters from the version and node count the executor"
                    + " finds on them now (correcting the inventory where it was wrong), not from the inventory")
            @QueryParam("probe") @DefaultValue("false") boolean probe,
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = PreviewRequest.class), examples = {
                            @ExampleObject(name = "inline", summary = "Clusters described in the request",
                                    value = ApiExamples.PREVIEW_REQUEST),
                            @ExampleObject(name = "selector", summary = "Registered clusters chosen by labels",
                                    value = ApiExamples.PREVIEW_SELECTOR_REQUEST)}))
            @NotNull(message = "a preview request is required") @Valid PreviewRequest body) {
        boolean withSteps = View.of(view) == View.FULL;
        Product product = Product.fromId(body.product()).orElseThrow();
        List<ClusterFacts> inline = body.clusters() == null ? List.of()
                : body.clusters().stream().map(c -> c.facts(product)).toList();
        return PreviewResponse.of(previews.preview(product, TargetVersion.parse(body.targetVersion()).orElseThrow(),
                body.selector(), inline, probe), withSteps);
    }
}
