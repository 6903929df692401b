package io.stepwise.planner.rest.console;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.stepwise.planner.rest.Roles;
import io.stepwise.planner.service.FreezeService;
import io.stepwise.planner.service.InventoryService;
import io.stepwise.planner.service.StrategyService;
import io.stepwise.planner.service.WindowPolicyService;
import io.stepwise.planner.webhooks.Webhook;
import io.stepwise.planner.webhooks.Webhooks;
import java.util.List;
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
    static final int SETTINGS_PAGE = 50;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance fleet(ConsoleUser user, String selector, String product, FleetView fleet,
                                             FleetSettings settings, Alert alert);
    }

    private final InventoryService inventory;
    private final ConsoleContext context;
    private final FreezeService freezes;
    private final WindowPolicyService policies;
    private final StrategyService strategies;
    private final Webhooks webhooks;

    FleetConsole(InventoryService inventory, ConsoleContext context, FreezeService freezes,
                 WindowPolicyService policies, StrategyService strategies, Webhooks webhooks) {
        this.inventory = inventory;
        this.context = context;
        this.freezes = freezes;
        this.policies = policies;
        this.strategies = strategies;
        this.webhooks = webhooks;
    }

    private FleetSettings settings(ConsoleUser user) {
        boolean admin = user.roles().contains(Roles.ADMIN);
        return new FleetSettings(freezes.current(), policies.list().stream().map(FleetSettings.PolicyRow::of)
                .toList(), strategies.list(), admin ? newestWebhooks() : List.of());
    }

    /** The webhooks on the last page of their list, which is oldest first: the newest, at most a page of them. */
    private List<Webhook> newestWebhooks() {
        long total = webhooks.list(0, 1).total();
        return total == 0 ? List.of() : webhooks.list((int) ((total - 1) / SETTINGS_PAGE), SETTINGS_PAGE).items();
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
            return Response.ok(Templates.fleet(context.user(), selector, productFilter, fleet,
                    settings(context.user()), null)).build();
        } catch (RuntimeException e) {
            Alert alert = Alert.of(e);
            return Response.status(alert.status())
                    .entity(Templates.fleet(context.user(), selector, productFilter, null, null, alert)).build();
        }
    }
}
