package io.stepwise.planner.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.planner.domain.FieldProblems;
import io.stepwise.planner.rest.WebhookView.DeliveryView;
import io.stepwise.planner.rest.problem.Problem;
import io.stepwise.planner.rest.validation.Validation;
import io.stepwise.planner.webhooks.Webhooks;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Iterator;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Webhooks, for admins only, reading included: a webhook URL is often a credential in itself (a chat tool's
 * incoming-webhook URL), and the delivery log says where events go.
 */
@Path("/api/v1/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Webhooks", description = "Lifecycle events delivered over HTTP as signed CloudEvents")
public class WebhookResource {

    private final Webhooks webhooks;
    private final Validator validator;
    private final Caller caller;
    private final ObjectMapper json;

    public WebhookResource(Webhooks webhooks, Validator validator, Caller caller, ObjectMapper json) {
        this.webhooks = webhooks;
        this.validator = validator;
        this.caller = caller;
        this.json = json;
    }

    @RolesAllowed(Roles.ADMIN)
    @POST
    @Operation(operationId = "createWebhook", summary = "Create a webhook",
            description = "It receives the lifecycle events that happen from now on: of every rollout, or of rolloutId"
                    + " only; of every type, or of those starting with one of types. Each is a POST of a CloudEvent"
                    + " (application/cloudevents+json) signed with the secret in X-Stepwise-Signature; the secret is"
                    + " never shown again. Unknown fields are refused.")
    @APIResponse(responseCode = "201", description = "Created",
            headers = @Header(name = "Location", description = "/api/v1/webhooks/{id}"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = WebhookView.class)))
    @APIResponse(responseCode = "400", description = "Malformed or invalid input, an unknown field, or an unknown"
            + " rolloutId; every bad field is named",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(@RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = WebhookRequest.class))) JsonNode body) throws JsonProcessingException {
        WebhookRequest request = read(body);
        WebhookView webhook = WebhookView.of(webhooks.create(request.toNew(), caller.actor()));
        return Response.created(URI.create("/api/v1/webhooks/" + webhook.id())).entity(webhook).build();
    }

    @RolesAllowed(Roles.ADMIN)
    @GET
    @Operation(operationId = "listWebhooks", summary = "List webhooks, oldest first, one page at a time")
    public PageView<WebhookView> list(@QueryParam("page") @DefaultValue("0") int page,
                                      @QueryParam("size") @DefaultValue("50") int size) {
        return PageView.of(webhooks.list(page, size), WebhookView::of);
    }

    @RolesAllowed(Roles.ADMIN)
    @GET
    @Path("/{id}")
    @Operation(operationId = "getWebhook", summary = "Get one webhook (never its secret)")
    public WebhookView get(@PathParam("id") String id) {
        return WebhookView.of(webhooks.get(id));
    }

    @RolesAllowed(Roles.ADMIN)
    @DELETE
    @Path("/{id}")
    @Operation(operationId = "deleteWebhook", summary = "Delete a webhook and its delivery log; nothing more is sent to it")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Response delete(@PathParam("id") String id) {
        webhooks.delete(id, caller.actor());
        return Response.noContent().build();
    }

    @RolesAllowed(Roles.ADMIN)
    @GET
    @Path("/{id}/deliveries")
    @Operation(operationId = "listWebhookDeliveries", summary = "The webhook's deliveries, newest first, one page at a time",
            description = "Each event sent or to send to the webhook: its state, attempts, the last HTTP status or"
                    + " error, when it is sent next and when it was delivered.")
    public PageView<DeliveryView> deliveries(@PathParam("id") String id,
                                             @Parameter(description = "PENDING, DELIVERED or FAILED; all when left out")
                                             @QueryParam("state") String state,
                                             @QueryParam("page") @DefaultValue("0") int page,
                                             @QueryParam("size") @DefaultValue("50") int size) {
        return PageView.of(webhooks.deliveries(id, state, page, size), DeliveryView::of);
    }

    /** The body as a request: a JSON object of known fields only, each valid. */
    private WebhookRequest read(JsonNode body) throws JsonProcessingException {
        FieldProblems problems = new FieldProblems();
        if (body == null || !body.isObject()) {
            problems.add("body", "a JSON object with url and secret is required").throwIfAny();
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!WebhookRequest.FIELDS.contains(name)) {
                problems.add(name, "unknown field; the fields are " + String.join(", ", WebhookRequest.FIELDS));
            }
        }
        problems.throwIfAny();
        WebhookRequest request = json.treeToValue(body, WebhookRequest.class);
        Validation.check(validator, request);
        return request;
    }
}
