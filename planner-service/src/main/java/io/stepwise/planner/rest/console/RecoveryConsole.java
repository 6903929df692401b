package io.stepwise.planner.rest.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.stepwise.planner.rest.RecoveryView;
import io.stepwise.planner.rest.Roles;
import io.stepwise.planner.service.RecoveryService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The recovery preview of a failed cluster, as a page the rollout page links to from the cluster's row. The class path
 * is the whole path, so that it takes no request meant for {@link RolloutConsole}.
 */
@Path("/console/rollouts/{id}/clusters/{clusterId}/recovery")
@Produces(MediaType.TEXT_HTML)
public class RecoveryConsole {

    /** An option with the request that starts it written out as JSON (null when it is not allowed). */
    public record Option(RecoveryView.OptionView option, String startBody) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance recovery(ConsoleUser user, RecoveryView recovery, List<Option> options);
    }

    private final RecoveryService recoveries;
    private final ConsoleContext context;
    private final ObjectMapper json;

    RecoveryConsole(RecoveryService recoveries, ConsoleContext context, ObjectMapper json) {
        this.recoveries = recoveries;
        this.context = context;
        this.json = json;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(hidden = true)
    public Response recovery(@PathParam("id") String id, @PathParam("clusterId") String clusterId) {
        try {
            RecoveryView view = RecoveryView.of(recoveries.preview(id, clusterId));
            List<Option> options = view.options().stream().map(o -> new Option(o, o.start() == null ? null
                    : write(o.start().body()))).toList();
            return Response.ok(Templates.recovery(context.user(), view, options)).build();
        } catch (RuntimeException e) {
            Alert alert = Alert.of(e);
            return Response.status(alert.status()).entity(ConsoleResponses.Templates.alert(alert)).build();
        }
    }

    private String write(Object body) {
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a request body is plain JSON", e);
        }
    }
}
