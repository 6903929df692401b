package io.stepwise.planner.rest.console;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.stepwise.planner.rest.Roles;
import io.stepwise.planner.service.InventoryService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The fleet at a glance: versions by product and line, and the clusters a label selector picks. */
@Path("/console/fleet")
@Produces(MediaType.TEXT_HTML)
public class FleetConsole {

    static final int PAGE_SIZE = 50;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance fleet(ConsoleUser user, String selector, String product, FleetView fleet,
                                             Alert alert);
    }

    private final InventoryService inventory;
    private final ConsoleContext context;

    FleetConsole(InventoryService inventory, ConsoleContext context) {
        this.inventory = inventory;
        this.context = context;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(hidden = true)
    public Response fleet(@QueryParam("selector") String selector, @QueryParam("product") String product,
                          @QueryParam("page") @DefaultValue("0") int page) {
        String productFilter = product == null || product.isBlank() ? null : product;
        try {
            FleetView fleet = FleetView.of(inventory.fleet(selector, productFilter, page, PAGE_SIZE),
                    Pager.query("selector", selector, "product", productFilter));
            return Response.ok(Templates.fleet(context.user(), selector, productFilter, fleet, null)).build();
        } catch (RuntimeException e) {
            Alert alert = Alert.of(e);
            return Response.status(alert.status())
                    .entity(Templates.fleet(context.user(), selector, productFilter, null, alert)).build();
        }
    }
}
