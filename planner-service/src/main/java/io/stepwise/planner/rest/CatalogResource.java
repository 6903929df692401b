package io.stepwise.planner.rest;

import jakarta.annotation.security.RolesAllowed;
import io.stepwise.model.Product;
import io.stepwise.planner.catalog.CatalogDocument;
import io.stepwise.planner.service.CatalogService;
import io.stepwise.planner.service.CatalogService.CatalogInForce;
import io.stepwise.planner.service.ProductNames;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/catalog")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Catalog", description = "Released versions, latest patches and blocked patches per product")
public class CatalogResource {

    /** The catalog in force, and where it came from ({@code api}, {@code file}, {@code built_in}). */
    public record CatalogView(String product, String origin, @Schema(nullable = true) String location,
                              @Schema(implementation = String.class, format = "date-time", nullable = true)
                              Instant updatedAt, @Schema(nullable = true) String source,
                              List<CatalogDocument.Line> lines, List<CatalogDocument.Blocked> blocked) {

        static CatalogView of(CatalogInForce inForce) {
            CatalogDocument doc = CatalogDocument.of(inForce.catalog());
            return new CatalogView(doc.product(), inForce.origin().name().toLowerCase(), inForce.location(),
                    inForce.updatedAt(), doc.source(), doc.lines(), doc.blocked());
        }
    }

    private final CatalogService catalogs;
    private final Caller caller;

    public CatalogResource(CatalogService catalogs, Caller caller) {
        this.catalogs = catalogs;
        this.caller = caller;
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    @Operation(operationId = "listCatalogs", summary = "The catalogs in force for every product")
    public List<CatalogView> all() {
        return Arrays.stream(Product.values()).map(p -> CatalogView.of(catalogs.inForce(p))).toList();
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    @Path("/{product}")
    @Operation(operationId = "getCatalog", summary = "The catalog in force for one product")
    public CatalogView get(@PathParam("product") String product) {
        return CatalogView.of(catalogs.inForce(ProductNames.require("product", product)));
    }

    @RolesAllowed(Roles.ADMIN)
    @PUT
    @Path("/{product}")
    @Operation(operationId = "replaceCatalog", summary = "Replace a product's catalog for every planner instance",
            description = "The document is checked whole; nothing changes if any part is invalid.")
    public CatalogView replace(@PathParam("product") String product, CatalogDocument document) {
        return CatalogView.of(catalogs.replace(ProductNames.require("product", product), document, caller.actor()));
    }

    @RolesAllowed(Roles.ADMIN)
    @DELETE
    @Path("/{product}")
    @Operation(operationId = "resetCatalog", summary = "Drop the catalog put through the API, going back to the configured or built-in one")
    public CatalogView reset(@PathParam("product") String product) {
        return CatalogView.of(catalogs.reset(ProductNames.require("product", product), caller.actor()));
    }
}
