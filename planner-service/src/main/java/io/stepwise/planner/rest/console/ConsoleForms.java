package io.stepwise.planner.rest.console;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The console's commands are sent by its own pages only: they carry htmx's {@code HX-Request} header, which a form
 * or link on another site cannot add to a request (a cross-site request forgery defence beside the session cookie).
 */
public class ConsoleForms {

    @ServerRequestFilter
    public Optional<Response> onlyFromConsolePages(ContainerRequestContext request) {
        if ("POST".equals(request.getMethod()) && request.getUriInfo().getPath().startsWith("/console")
                && !"true".equals(request.getHeaderString("HX-Request"))) {
            return Optional.of(Response.status(403).type(MediaType.TEXT_PLAIN_TYPE)
                    .entity("console commands are sent by the console's own pages; use /api/v1 from scripts").build());
        }
        return Optional.empty();
    }
}
