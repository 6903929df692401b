package io.stepwise.planner.rest.console;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.stepwise.model.Product;
import io.stepwise.planner.rest.PreviewRequest;
import io.stepwise.planner.rest.PreviewResponse;
import io.stepwise.planner.rest.RequestHash;
import io.stepwise.planner.rest.Roles;
import io.stepwise.planner.rest.RolloutRequest;
import io.stepwise.planner.rules.TargetVersion;
import io.stepwise.planner.service.PreviewService;
import io.stepwise.planner.service.RolloutService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Plan before acting: per-cluster plans with every step's rule and reason, refusals with their advice, and from
 * there a rollout started with a strategy. The requests are the API's own, checked by the same rules.
 */
@Path("/console/plan")
@Produces(MediaType.TEXT_HTML)
public class PlanConsole {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance plan(ConsoleUser user, List<String> products, String product, String target,
                                            String selector);

        static native TemplateInstance result(ConsoleUser user, String product, String target, String selector,
                                                   PlanView plan);
    }

    private final PreviewService previews;
    private final RolloutService rollouts;
    private final Validator validator;
    private final ConsoleContext context;

    PlanConsole(PreviewService previews, RolloutService rollouts, Validator validator, ConsoleContext context) {
        this.previews = previews;
        this.rollouts = rollouts;
        this.validator = validator;
        this.context = context;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(hidden = true)
    public TemplateInstance form(@QueryParam("product") String product, @QueryParam("target") String target,
                                 @QueryParam("selector") String selector) {
        return Templates.plan(context.user(), Arrays.stream(Product.values()).map(Product::id).toList(),
                product, target, selector);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(hidden = true)
    public Response preview(@FormParam("product") String product, @FormParam("target") String target,
                            @FormParam("selector") String selector, @FormParam("probe") String probe) {
        try {
            PreviewRequest request = new PreviewRequest(product, blankToNull(target), null, blankToNull(selector));
            check(request);
            PreviewResponse preview = PreviewResponse.of(previews.preview(Product.fromId(product).orElseThrow(),
                    TargetVersion.parse(request.targetVersion()).orElseThrow(), request.selector(), List.of(),
                    "on".equals(probe)), true);
            return Response.ok(Templates.result(context.user(), product, request.targetVersion(),
                    request.selector(), PlanView.of(preview, UUID.randomUUID().toString()))).build();
        } catch (RuntimeException e) {
            return ConsoleResponses.alert(Alert.of(e));
        }
    }

    /** Starts the previewed rollout; the form's idempotency key makes a double click start it once. */
    @POST
    @Path("start")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(hidden = true)
    public Response start(@FormParam("product") String product, @FormParam("target") String target,
                          @FormParam("selector") String selector, @FormParam("maxParallel") Integer maxParallel,
                          @FormParam("maxFailedClusters") Integer maxFailedClusters,
                          @FormParam("canarySelector") String canarySelector,
                          @FormParam("canaryPause") String canaryPause,
                          @FormParam("busyClusters") String busyClusters,
                          @FormParam("idempotencyKey") String idempotencyKey) {
        try {
            List<RolloutRequest.WaveRequest> waves = new ArrayList<>();
            if (canarySelector != null && !canarySelector.isBlank()) {
                waves.add(new RolloutRequest.WaveRequest("canary", canarySelector, null, "on".equals(canaryPause),
                        null, null, null));
            }
            RolloutRequest request = new RolloutRequest(product, blankToNull(target), blankToNull(selector), null,
                    new RolloutRequest.Strategy(maxParallel, waves.isEmpty() ? null : waves,
                            new RolloutRequest.FailurePolicy(maxFailedClusters), null),
                    "skip".equals(busyClusters) ? "skip" : null, null, null, null, null, null);
            check(request);
            RolloutService.Created created = rollouts.create(request.toCommand(), blankToNull(idempotencyKey),
                    RequestHash.of(request), context.actor());
            return Response.noContent().header("HX-Redirect", "/console/rollouts/" + created.rolloutId()).build();
        } catch (RuntimeException e) {
            return ConsoleResponses.alert(Alert.of(e));
        }
    }

    private <T> void check(T request) {
        Set<ConstraintViolation<T>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }
}
