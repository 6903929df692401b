package io.stepwise.planner.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.planner.domain.AuditVerification;
import io.stepwise.planner.domain.ChangeAuditEntry;
import io.stepwise.planner.service.ChangeHistory;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit", description = "Who changed the inventory, the catalogs and the webhooks, when, and what changed")
public class ChangeAuditResource {

    private static final String KIND = "cluster (a registration), catalog (a product's catalog) or webhook";
    private static final String SUBJECT = "the cluster id, the product (weaviate, pachyderm) or the webhook id";

    /** One change: {@code details.changes} holds each changed field with its value before and after. */
    public record ChangeView(int seq, Instant at, String actor, String type,
                             JsonNode details, String hash, String prevHash) {
    }

    private final ChangeHistory history;
    private final ObjectMapper json;

    public ChangeAuditResource(ChangeHistory history, ObjectMapper json) {
        this.history = history;
        this.json = json;
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    @Operation(operationId = "listChanges", summary = "The changes to one cluster's registration or one product's catalog, oldest first, each"
            + " chained to the one before by hash")
    public List<ChangeView> changes(@Parameter(description = KIND) @QueryParam("kind") String kind,
                                    @Parameter(description = SUBJECT) @QueryParam("subject") String subject) {
        return history.of(kind, subject).stream().map(this::view).toList();
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    @Path("/verify")
    @Operation(operationId = "verifyChanges", summary = "Recompute the chain of changes; reports the first entry that was altered or removed")
    public AuditVerification verify(@Parameter(description = KIND) @QueryParam("kind") String kind,
                                    @Parameter(description = SUBJECT) @QueryParam("subject") String subject) {
        return history.verify(kind, subject);
    }

    private ChangeView view(ChangeAuditEntry e) {
        JsonNode details;
        try {
            details = json.readTree(e.details());
        } catch (Exception unreadable) {
            details = json.getNodeFactory().textNode(e.details());
        }
        return new ChangeView(e.seq(), e.at(), e.actor(), e.type(), details, e.hash(), e.prevHash());
    }
}
