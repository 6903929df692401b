package io.stepwise.planner.rest;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import io.stepwise.planner.rest.problem.Problem;
import jakarta.annotation.security.RolesAllowed;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * What every operation of the OpenAPI document shares, written once rather than on each resource method, so that a
 * client generated from the document accepts every answer the planner sends:
 * <ul>
 * <li>the bearer token: each operation requires the {@code bearer} scheme, and names the roles it needs (its
 * {@code @RolesAllowed}) in {@code x-stepwise-roles} and its description: OpenAPI 3.0 allows scopes only for OAuth2
 * and OpenID Connect schemes, so Quarkus leaves them out of the requirement;</li>
 * <li>every error answer is {@code application/problem+json} with the {@link Problem} schema: 401 and 403 on every
 * operation, 400 where it takes input, 404 where a path names something by id, 413 and 415 where it takes a body,
 * 500 everywhere, and any other error an operation declares (409, 422) without saying its content;</li>
 * <li>{@code X-Stepwise-Actor} on every operation that changes something (those record who did it), and a schema for
 * every {@code Location} header.</li>
 * </ul>
 * OpenApiContractTest sends real requests to every operation and validates the answers against this document.
 */
// at run time, after the build-time filters have put each operation's roles into its security requirement
@OpenApiFilter(OpenApiFilter.RunStage.RUN)
public class ApiContract implements OASFilter {

    static final String SCHEME = "bearer";
    static final String ROLES = "x-stepwise-roles";
    private static final String PROBLEM_REF = "#/components/schemas/Problem";
    private static final String ACTOR = "Actor";
    private static final String SSE = "text/event-stream";
    /** The changes that record no actor: a preview changes nothing. */
    private static final Set<String> RECORDS_NO_ACTOR = Set.of("previewPlans");
    /** The operations that can conflict with the state they find, and how. */
    private static final Map<String, String> CONFLICTS = Map.ofEntries(
            Map.entry("registerCluster", "A cluster with this id is already registered"),
            Map.entry("putCluster", "Another request registered the cluster at the same moment; send it again"),
            Map.entry("putClusters", "Another request registered some of these clusters at the same moment; send it"
                    + " again"),
            Map.entry("startRollout", "A selected cluster is held by another unfinished rollout (each is named in"
                    + " busyClusters), or the recovery it asks for is not allowed (the rule and why)"),
            Map.entry("pauseRollout", "The rollout cannot be paused in its state"),
            Map.entry("resumeRollout", "The rollout cannot be resumed in its state"),
            Map.entry("cancelRollout", "The rollout cannot be cancelled in its state"),
            Map.entry("approveCluster", "The cluster is not waiting for an approval"),
            Map.entry("approveGate", "The rollout is not waiting at a gate"),
            Map.entry("endWait", "The rollout is not waiting out a soak"),
            Map.entry("retryCluster", "The cluster is not FAILED, or the rollout was cancelled"),
            Map.entry("getClusterRecovery", "The cluster did not fail in this rollout"));

    /** The resources of the document; an operation whose roles are not found here fails the planner's start. */
    private static final List<Class<?>> RESOURCES = List.of(CatalogResource.class, ChangeAuditResource.class,
            ClusterResource.class, FreezeResource.class, PlanPreviewResource.class, RecoveryResource.class,
            RolloutResource.class, StrategyResource.class, WebhookResource.class, WindowPolicyResource.class);

    /** operationId → the roles its method allows. */
    static Map<String, List<String>> rolesByOperation() {
        Map<String, List<String>> roles = new HashMap<>();
        for (Class<?> resource : RESOURCES) {
            for (Method method : resource.getDeclaredMethods()) {
                org.eclipse.microprofile.openapi.annotations.Operation op = method.getAnnotation(
                        org.eclipse.microprofile.openapi.annotations.Operation.class);
                RolesAllowed allowed = method.getAnnotation(RolesAllowed.class);
                if (op != null && allowed != null) {
                    roles.put(op.operationId(), List.of(allowed.value()));
                }
            }
        }
        return roles;
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getComponents().addParameter(ACTOR, OASFactory.createParameter()
                .name(Caller.ACTOR_HEADER).in(Parameter.In.HEADER).required(false)
                .description("Only for a service account holding the role 'impersonator': the person it acts for,"
                        + " recorded with it in the audit trail (\"alice (via cmdb-sync)\"). Anyone else sending it"
                        + " is refused with 403.")
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING).pattern("^[\\w.@:-]{1,100}$")));
        Map<String, List<String>> rolesByOperation = rolesByOperation();
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            if (path.getValue().getOperations() == null) {
                continue;
            }
            for (Map.Entry<PathItem.HttpMethod, Operation> op : path.getValue().getOperations().entrySet()) {
                List<String> roles = rolesByOperation.get(op.getValue().getOperationId());
                if (roles == null) {
                    throw new IllegalStateException(op.getKey() + " " + path.getKey() + " (" + op.getValue()
                            .getOperationId() + ") has no operationId or no @RolesAllowed in " + RESOURCES);
                }
                contract(path.getKey(), op.getKey(), op.getValue(), roles);
            }
        }
    }

    private static void contract(String path, PathItem.HttpMethod method, Operation op, List<String> roles) {
        op.setSecurity(List.of(OASFactory.createSecurityRequirement().addScheme(SCHEME, List.of())));
        if (!roles.isEmpty()) {
            op.addExtension(ROLES, roles);
            String needs = "Needs the role " + String.join(" or ", roles.stream().map(r -> "'" + r + "'").toList())
                    + " (or one implying it).";
            op.setDescription(op.getDescription() == null ? needs : op.getDescription() + "\n\n" + needs);
        }
        if (method != PathItem.HttpMethod.GET && !RECORDS_NO_ACTOR.contains(op.getOperationId())) {
            op.addParameter(OASFactory.createParameter().ref(ACTOR));
        }
        APIResponses responses = op.getResponses();
        boolean takesInput = (op.getParameters() != null && !op.getParameters().isEmpty()) || op.getRequestBody() != null;
        declare(responses, "400", takesInput, "Malformed or invalid input; every bad field is named in errors[]");
        declare(responses, "401", true, "No bearer token, or one the planner refuses (expired, another issuer or"
                + " audience, a bad signature)");
        declare(responses, "403", true, "The token lacks the role this operation needs");
        // PUT /clusters/{id} and PUT /strategies/{name} create what they do not find
        boolean named = path.contains("{id}") || path.contains("{name}");
        boolean upsert = method == PathItem.HttpMethod.PUT && (path.endsWith("{id}") || path.endsWith("{name}"));
        declare(responses, "404", named && !upsert, "Nothing has this id");
        declare(responses, "409", CONFLICTS.containsKey(op.getOperationId()), CONFLICTS.get(op.getOperationId()));
        declare(responses, "422", "startRollout".equals(op.getOperationId()), "The Idempotency-Key was used before"
                + " with another body");
        declare(responses, "413", op.getRequestBody() != null, "The body is over the limit");
        declare(responses, "415", op.getRequestBody() != null, "The body is not JSON");
        declare(responses, "500", true, "An unexpected failure; the detail names the log line");
        for (Map.Entry<String, APIResponse> response : responses.getAPIResponses().entrySet()) {
            APIResponse answer = response.getValue();
            if (response.getKey().startsWith("4") || response.getKey().startsWith("5")) {
                if (answer.getContent() == null || answer.getContent().getMediaTypes().isEmpty()) {
                    answer.setContent(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                            OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM_REF))));
                }
            }
            if (answer.getContent() != null && answer.getContent().getMediaType(SSE) != null) {
                // not an array: a stream of events, each event's data one JSON document of the schema it had
                Schema declared = answer.getContent().getMediaType(SSE).getSchema();
                String of = declared != null && declared.getItems() != null && declared.getItems().getRef() != null
                        ? declared.getItems().getRef().substring(declared.getItems().getRef().lastIndexOf('/') + 1)
                        : "JSON";
                answer.getContent().getMediaType(SSE).setSchema(OASFactory.createSchema()
                        .addType(Schema.SchemaType.STRING).description("Server-Sent Events; the data of each event is"
                                + " a " + of + " in JSON"));
                answer.setDescription("The events, until the stream ends");
            }
            if (answer.getHeaders() != null) {
                Header location = answer.getHeaders().get("Location");
                if (location != null && location.getSchema() == null) {
                    location.setSchema(OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                            .format("uri-reference"));
                }
            }
        }
    }

    /** Adds the error answer when it applies and the operation does not declare it already. */
    private static void declare(APIResponses responses, String status, boolean applies, String description) {
        if (!applies) {
            return;
        }
        APIResponse declared = responses.getAPIResponse(status);
        if (declared == null) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description));
        } else if (declared.getDescription() == null || declared.getDescription().equals("Not Authorized")
                || declared.getDescription().equals("Not Allowed")) {
            declared.setDescription(description);
        }
    }
}
