package io.stepwise.planner.rest.problem;

import io.stepwise.planner.rest.validation.StrictStrings;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a path or query parameter that no store can keep (a NUL character, invalid Unicode) before any resource
 * sees it, naming the parameter, rather than letting the database fail on it.
 */
public class RequestTextCheck {

    @ServerRequestFilter(preMatching = false)
    public Response check(UriInfo uri) {
        Response refused = refuse(uri.getPathParameters(), "path");
        return refused != null ? refused : refuse(uri.getQueryParameters(), null);
    }

    private static Response refuse(MultivaluedMap<String, String> parameters, String where) {
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            for (String value : parameter.getValue()) {
                String problem = value == null ? null : StrictStrings.problem(value);
                if (problem != null) {
                    String field = where == null ? parameter.getKey() : where + "." + parameter.getKey();
                    return ProblemMappers.respond(ProblemMappers.invalid(List.of(new Problem.FieldError(field,
                            problem))));
                }
            }
        }
        return null;
    }
}
