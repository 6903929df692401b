package io.stepwise.planner.rest.console;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.stepwise.planner.domain.AuditEntry;
import io.stepwise.planner.domain.AuditVerification;
import io.stepwise.planner.rest.PageView;
import io.stepwise.planner.rest.Roles;
import io.stepwise.planner.rest.RolloutView;
import io.stepwise.planner.service.RolloutService;
import io.stepwise.planner.service.RolloutWatch;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Rollouts as people steer them: the list, and one rollout's page, whose live part is fetched again whenever the
 * rollout changes (the watch's counts-only stream says when), so a rollout of any size costs one page of clusters
 * per change. Every button is the API's command, refused by the same rules.
 */
@Path("/console/rollouts")
@Produces(MediaType.TEXT_HTML)
public class RolloutConsole {

    static final int LIST_SIZE = 20;
    static final int PAGE_SIZE = 100;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance rollouts(ConsoleUser user, String state, PageView<RolloutView> rollouts,
                                                Pager pager);

        static native TemplateInstance rows(PageView<RolloutView> rollouts, Pager pager);

        static native TemplateInstance rollout(ConsoleUser user, RolloutLive live);

        static native TemplateInstance live(ConsoleUser user, RolloutLive live);

        static native TemplateInstance audit(List<AuditEntry> entries, AuditVerification verification);
    }

    private final RolloutService rollouts;
    private final RolloutWatch watch;
    private final ConsoleContext context;

    private final Clock clock;

    RolloutConsole(RolloutService rollouts, RolloutWatch watch, ConsoleContext context, Clock clock) {
        this.clock = clock;
        this.rollouts = rollouts;
        this.watch = watch;
        this.context = context;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(hidden = true)
    public Response list(@QueryParam("state") String state, @QueryParam("page") @DefaultValue("0") int page,
                         @QueryParam("rows") boolean rowsOnly) {
        try {
            String filter = state == null || state.isBlank() ? null : state;
            PageView<RolloutView> listed = PageView.of(rollouts.list(filter, page, LIST_SIZE), RolloutView::summary);
            Pager pager = new Pager(page, LIST_SIZE, listed.total(), Pager.query("state", filter));
            return Response.ok(rowsOnly ? Templates.rows(listed, pager)
                    : Templates.rollouts(context.user(), filter, listed, pager)).build();
        } catch (RuntimeException e) {
            return ConsoleResponses.alert(Alert.of(e));
        }
    }

    @GET
    @Path("{id}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(hidden = true)
    public Response rollout(@PathParam("id") String id, @QueryParam("state") String state,
                            @QueryParam("page") @DefaultValue("0") int page) {
        try {
            return Response.ok(Templates.rollout(context.user(), snapshot(id, state, page))).build();
        } catch (RuntimeException e) {
            Alert alert = Alert.of(e);
            return Response.status(alert.status()).entity(ConsoleResponses.Templates.alert(alert)).build();
        }
    }

    /** The live part alone, as the page fetches it when the rollout changed. */
    @GET
    @Path("{id}/live")
    @RolesAllowed(Roles.VIEWER)
    @Operation(hidden = true)
    public Response live(@PathParam("id") String id, @QueryParam("state") String state,
                         @QueryParam("page") @DefaultValue("0") int page) {
        return answer(id, state, page, null);
    }

    /** An event named {@code changed} whenever the rollout changed, {@code finished} once it has ended. */
    @GET
    @Path("{id}/changes")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RolesAllowed(Roles.VIEWER)
    @Blocking // the 404 check reads the database; the events come from RolloutWatch's own thread
    @Operation(hidden = true)
    public Multi<OutboundSseEvent> changes(@PathParam("id") String id, @Context Sse sse) {
        return watch.follow(id, true).map(change -> sse.newEventBuilder()
                .name(change.summary().rollout().finishedAt == null ? "changed" : "finished")
                .data(change.summary().rollout().state.name())
                .build());
    }

    @POST
    @Path("{id}/pause")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(hidden = true)
    public Response pause(@PathParam("id") String id, @QueryParam("state") String state,
                          @QueryParam("page") @DefaultValue("0") int page) {
        return answer(id, state, page, () -> rollouts.pause(id, context.actor()));
    }

    @POST
    @Path("{id}/resume")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(hidden = true)
    public Response resume(@PathParam("id") String id, @QueryParam("state") String state,
                           @QueryParam("page") @DefaultValue("0") int page) {
        return answer(id, state, page, () -> rollouts.resume(id, context.actor()));
    }

    @POST
    @Path("{id}/cancel")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(hidden = true)
    public Response cancel(@PathParam("id") String id, @QueryParam("state") String state,
                           @QueryParam("page") @DefaultValue("0") int page) {
        return answer(id, state, page, () -> rollouts.cancel(id, context.actor()));
    }

    @POST
    @Path("{id}/gate/approve")
    @RolesAllowed(Roles.APPROVER)
    @Operation(hidden = true)
    public Response approveGate(@PathParam("id") String id, @QueryParam("state") String state,
                                @QueryParam("page") @DefaultValue("0") int page) {
        return answer(id, state, page, () -> rollouts.approveGate(id, Set.copyOf(context.user().roles()),
                context.actor()));
    }

    @POST
    @Path("{id}/wait/end")
    @RolesAllowed(Roles.APPROVER)
    @Operation(hidden = true)
    public Response endWait(@PathParam("id") String id, @QueryParam("state") String state,
                            @QueryParam("page") @DefaultValue("0") int page) {
        return answer(id, state, page, () -> rollouts.endWait(id, context.actor()));
    }

    @POST
    @Path("{id}/clusters/{clusterId}/approve")
    @RolesAllowed(Roles.APPROVER)
    @Operation(hidden = true)
    public Response approve(@PathParam("id") String id, @PathParam("clusterId") String clusterId,
                            @QueryParam("state") String state, @QueryParam("page") @DefaultValue("0") int page) {
        return answer(id, state, page, () -> rollouts.approve(id, clusterId, context.actor()));
    }

    @POST
    @Path("{id}/clusters/{clusterId}/retry")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(hidden = true)
    public Response retry(@PathParam("id") String id, @PathParam("clusterId") String clusterId,
                          @QueryParam("state") String state, @QueryParam("page") @DefaultValue("0") int page) {
        try {
            rollouts.retry(id, clusterId, context.actor());
            // a retry may reopen a finished rollout, whose page stopped following it: load it anew
            return Response.noContent().header("HX-Refresh", "true").build();
        } catch (RuntimeException e) {
            return ConsoleResponses.alert(Alert.of(e));
        }
    }

    @GET
    @Path("{id}/audit")
    @RolesAllowed(Roles.VIEWER)
    @Operation(hidden = true)
    public Response audit(@PathParam("id") String id) {
        try {
            return Response.ok(Templates.audit(rollouts.auditOf(id), rollouts.verifyAudit(id))).build();
        } catch (RuntimeException e) {
            return ConsoleResponses.alert(Alert.of(e));
        }
    }

    /** Runs the command, if any, then answers with the live part as it is now; a refusal is an alert. */
    private Response answer(String id, String state, int page, Runnable command) {
        try {
            if (command != null) {
                command.run();
            }
            return Response.ok(Templates.live(context.user(), snapshot(id, state, page))).build();
        } catch (RuntimeException e) {
            return ConsoleResponses.alert(Alert.of(e));
        }
    }

    private RolloutLive snapshot(String id, String state, int page) {
        String filter = state == null || state.isBlank() ? null : state;
        return RolloutLive.of(rollouts.page(id, filter, page, PAGE_SIZE), filter, clock.instant());
    }
}
