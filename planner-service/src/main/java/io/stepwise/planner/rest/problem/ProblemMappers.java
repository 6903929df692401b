package io.stepwise.planner.rest.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonMappingException.Reference;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.stepwise.planner.domain.FourEyesException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import io.stepwise.planner.catalog.InvalidCatalogException;
import io.stepwise.planner.domain.ClustersBusyException;
import io.stepwise.planner.domain.ConflictException;
import io.stepwise.planner.domain.IdempotencyKeyReusedException;
import io.stepwise.planner.domain.InvalidInputException;
import io.stepwise.planner.domain.InvalidSelectorException;
import io.stepwise.planner.domain.NotFoundException;
import io.stepwise.planner.rest.validation.StrictStrings;
import io.stepwise.planner.rest.problem.Problem.FieldError;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.TreeSet;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * Turns every failure into a problem document. Bad input is a 4xx that names the field; anything else is a
 * 500 with a reference to the log, never a stack trace.
 */
public class ProblemMappers {

    @Inject
    SecurityIdentity identity;

    @ServerExceptionMapper
    public Response invalid(InvalidInputException e) {
        return respond(invalid(e.problems().stream().map(p -> new FieldError(p.field(), p.message())).toList()));
    }

    /** Bean Validation of a request: every violated rule, named by its field's path in the request. */
    @ServerExceptionMapper
    public Response violations(ConstraintViolationException e) {
        return respond(invalid(e.getConstraintViolations().stream()
                .map(v -> new FieldError(ViolationPaths.field(v), v.getMessage()))
                .sorted(Comparator.comparing(FieldError::field).thenComparing(FieldError::message))
                .toList()));
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return respond(new Problem(ProblemTypes.forStatus(404), "Not found", 404, e.getMessage(), List.of()));
    }

    @ServerExceptionMapper
    public Response busy(ClustersBusyException e) {
        return respond(new Problem(ProblemTypes.forStatus(409), "Clusters busy", 409, e.getMessage(), List.of(),
                e.busy().stream().map(b -> new Problem.BusyCluster(b.clusterId(), b.rolloutId())).toList()));
    }

    @ServerExceptionMapper
    public Response conflict(ConflictException e) {
        return respond(new Problem(ProblemTypes.forStatus(409), "Conflict", 409, e.getMessage(), List.of()));
    }

    @ServerExceptionMapper
    public Response idempotencyKeyReused(IdempotencyKeyReusedException e) {
        return respond(new Problem(ProblemTypes.forStatus(422), "Idempotency key reused", 422, e.getMessage(),
                List.of()));
    }

    /** No token, or a request that needs a role from a caller the planner does not know. */
    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e, SimpleResourceInfo resource) {
        return challenge("send a bearer token of the configured issuer (Authorization: Bearer <token>); "
                + needs(resource));
    }

    /** A token that is expired, from another issuer, for another audience, or not signed by the issuer's key. */
    @ServerExceptionMapper
    public Response refused(AuthenticationFailedException e, SimpleResourceInfo resource) {
        return challenge("the bearer token was refused (expired, from another issuer, for another audience, or not"
                + " signed by the issuer's key); " + needs(resource));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, SimpleResourceInfo resource) {
        String detail = e.getMessage() != null && !e.getMessage().isBlank() ? e.getMessage()
                : needs(resource) + "; your token has " + (identity.getRoles().isEmpty() ? "no role"
                : "the role(s) " + String.join(", ", new TreeSet<>(identity.getRoles())));
        return respond(new Problem(ProblemTypes.forStatus(403), "Forbidden", 403, detail, List.of()));
    }

    @ServerExceptionMapper
    public Response fourEyes(FourEyesException e) {
        return respond(new Problem(ProblemTypes.forStatus(403), "Forbidden", 403, e.getMessage(), List.of()));
    }

    @ServerExceptionMapper
    public Response selector(InvalidSelectorException e) {
        return respond(invalid(List.of(new FieldError("selector", e.getMessage()))));
    }

    @ServerExceptionMapper
    public Response catalog(InvalidCatalogException e) {
        return respond(invalid(e.errors().stream().map(ProblemMappers::catalogError).toList()));
    }

    /** JSON of the wrong shape (a string where a number belongs, an array for an object...). */
    @ServerExceptionMapper
    public Response shape(MismatchedInputException e) {
        return json(e);
    }

    /** Bodies that are not JSON at all. */
    @ServerExceptionMapper
    public Response syntax(JsonParseException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = path(mapping.getPath());
            return respond(invalid(List.of(new FieldError(field, shapeMessage(mapping)))));
        }
        String where = e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        return respond(invalid(List.of(new FieldError("body", "is not valid JSON" + where + ": "
                + e.getOriginalMessage()))));
    }

    /** What JAX-RS itself refuses: unknown path (404), wrong method (405), wrong media type (415)... */
    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e);
        }
        String detail = switch (status) {
            case 404 -> "no resource at this path: see /q/openapi for the API";
            case 405 -> "this method is not allowed on this path";
            case 406 -> "the Accept header asks for a media type this resource cannot produce";
            case 415 -> "send the body as application/json";
            default -> e.getMessage();
        };
        if (status == 400) {
            return respond(invalid(List.of(new FieldError("body", "cannot be read: " + e.getMessage()))));
        }
        return respond(new Problem(ProblemTypes.forStatus(status),
                Response.Status.fromStatusCode(status) == null ? "Request refused"
                        : Response.Status.fromStatusCode(status).getReasonPhrase(),
                status, detail, List.of()));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        String reference = UUID.randomUUID().toString();
        Log.errorf(e, "Unexpected failure, reference %s", reference);
        return respond(new Problem("about:blank", "Internal error", 500,
                "the request failed unexpectedly; quote reference " + reference + " to an operator", List.of()));
    }

    /** A 400 naming every bad field; its detail repeats the first few for people reading only that. */
    static Problem invalid(List<FieldError> errors) {
        String detail = errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid: " + String.join("; ", errors.stream().limit(5)
                        .map(e -> e.field() + ": " + e.message()).toList()) + (errors.size() > 5 ? "; ..." : "");
        return new Problem(ProblemTypes.forStatus(400), "Invalid request", 400, detail, errors);
    }

    private static Response challenge(String detail) {
        return Response.status(401).type(Problem.MEDIA_TYPE).header("WWW-Authenticate", "Bearer")
                .entity(new Problem(ProblemTypes.forStatus(401), "Unauthorized", 401, detail, List.of())).build();
    }

    /** "this endpoint needs the role 'operator'", from the resource method's {@code @RolesAllowed}. */
    private static String needs(SimpleResourceInfo resource) {
        if (resource == null) {
            return "this endpoint needs a role";
        }
        try {
            RolesAllowed allowed = resource.getResourceClass().getMethod(resource.getMethodName(),
                    resource.parameterTypes()).getAnnotation(RolesAllowed.class);
            return allowed == null ? "this endpoint needs a role" : "this endpoint needs the role '"
                    + String.join("' or '", allowed.value()) + "'";
        } catch (NoSuchMethodException e) {
            return "this endpoint needs a role";
        }
    }

    static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static FieldError catalogError(String error) {
        int colon = error.indexOf(": ");
        return colon > 0 ? new FieldError(error.substring(0, colon), error.substring(colon + 2))
                : new FieldError("catalog", error);
    }

    /** What was wrong with a value's shape, in JSON's terms, never Java's. */
    private static String shapeMessage(JsonMappingException e) {
        Throwable cause = e.getCause();
        if (e instanceof StrictStrings.UnstorableText) {
            return e.getOriginalMessage();
        }
        if (cause instanceof IllegalArgumentException && cause.getMessage() != null) {
            return cause.getMessage();
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return "expected " + jsonTypeOf(mismatch.getTargetType());
        }
        return "has the wrong type or shape";
    }

    private static String jsonTypeOf(Class<?> type) {
        if (CharSequence.class.isAssignableFrom(type) || type.isEnum()) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        return "an object";
    }

    private static String path(List<Reference> path) {
        StringBuilder field = new StringBuilder();
        for (Reference ref : path) {
            if (ref.getIndex() >= 0) {
                field.append('[').append(ref.getIndex()).append(']');
            } else if (ref.getFieldName() != null) {
                field.append(field.length() == 0 ? "" : ".").append(ref.getFieldName());
            }
        }
        return field.length() == 0 ? "body" : field.toString();
    }
}
