package io.stepwise.planner.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.stepwise.model.Product;
import io.stepwise.planner.audit.ChangeAudit;
import io.stepwise.planner.audit.ChangeAudit.Change;
import io.stepwise.planner.audit.ChangeAudit.Kind;
import io.stepwise.planner.catalog.CatalogDocument;
import io.stepwise.planner.catalog.CatalogFiles;
import io.stepwise.planner.catalog.VersionCatalog;
import io.stepwise.planner.config.PlannerConfig;
import io.stepwise.planner.domain.CatalogOverride;
import io.stepwise.planner.persistence.CatalogOverrideRepository;
import io.stepwise.planner.domain.InvalidInputException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The version catalog in force for each product. Precedence: a catalog put through the API (kept in Postgres, so
 * every planner instance and every restart sees it), then a file in {@code stepwise.catalog.directory}, then the
 * built-in one.
 */
@ApplicationScoped
public class CatalogService {

    /** Where a catalog in force came from. */
    public enum Origin { API, FILE, BUILT_IN }

    public record CatalogInForce(VersionCatalog catalog, Origin origin, String location, Instant updatedAt) {
    }

    private final CatalogOverrideRepository overrides;
    private final ChangeAudit audit;
    private final ObjectMapper json;
    private final Map<Product, CatalogInForce> configured = new EnumMap<>(Product.class);

    public CatalogService(CatalogOverrideRepository overrides, ChangeAudit audit, ObjectMapper json,
                          PlannerConfig config) {
        this.overrides = overrides;
        this.audit = audit;
        this.json = json;
        for (Product product : Product.values()) {
            configured.put(product, load(product, config.catalog().directory().orElse(null)));
        }
    }

    private static CatalogInForce load(Product product, Path directory) {
        if (directory != null) {
            Path file = directory.resolve(product.id() + ".json");
            if (Files.isRegularFile(file)) {
                VersionCatalog catalog = CatalogFiles.read(file);
                if (catalog.product() != product) {
                    throw new IllegalStateException(file + " holds the catalog of " + catalog.product().id());
                }
                Log.infof("Catalog of %s read from %s", product.id(), file);
                return new CatalogInForce(catalog, Origin.FILE, file.toString(), null);
            }
        }
        return new CatalogInForce(CatalogFiles.builtIn(product), Origin.BUILT_IN, null, null);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public CatalogInForce inForce(Product product) {
        CatalogOverride override = overrides.findById(product.id());
        if (override == null) {
            return configured.get(product);
        }
        try {
            VersionCatalog catalog = json.readValue(override.document, CatalogDocument.class).toCatalog();
            return new CatalogInForce(catalog, Origin.API, null, override.updatedAt);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored catalog of " + product.id() + " cannot be read", e);
        }
    }

    public VersionCatalog catalog(Product product) {
        return inForce(product).catalog();
    }

    /** Replaces a product's catalog for every planner instance; the document is checked whole first. */
    @Transactional
    public CatalogInForce replace(Product product, CatalogDocument document, String actor) {
        if (document == null) {
            throw InvalidInputException.of("body", "a catalog document is required");
        }
        if (document.product() != null && !product.id().equalsIgnoreCase(document.product())) {
            throw InvalidInputException.of("product", "the document is for '" + document.product()
                    + "' but was put to /catalog/" + product.id());
        }
        CatalogDocument normalized = new CatalogDocument(product.id(), document.source(), document.lines(),
                document.blocked());
        VersionCatalog catalog = normalized.toCatalog();
        Map<String, Object> before = fields(inForce(product));
        CatalogOverride override = overrides.findById(product.id());
        if (override == null) {
            override = new CatalogOverride();
            override.product = product.id();
        }
        try {
            override.document = json.writeValueAsString(CatalogDocument.of(catalog));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("catalog cannot be written as JSON", e);
        }
        override.updatedAt = Instant.now();
        overrides.persist(override);
        CatalogInForce now = new CatalogInForce(catalog, Origin.API, null, override.updatedAt);
        audit.record(Kind.CATALOG, actor, new Change(product.id(), "catalog.replaced", before, fields(now), null));
        Log.infof("Catalog of %s replaced through the API (%d lines, %d blocked ranges)", product.id(),
                catalog.lines().size(), catalog.blocked().size());
        return now;
    }

    /** Drops the API's catalog, going back to the configured file or the built-in one. */
    @Transactional
    public CatalogInForce reset(Product product, String actor) {
        Map<String, Object> before = fields(inForce(product));
        overrides.deleteById(product.id());
        CatalogInForce now = configured.get(product);
        audit.record(Kind.CATALOG, actor, new Change(product.id(), "catalog.reset", before, fields(now), null));
        return now;
    }

    /** What a catalog in force says, as its audit entries compare it: its origin and its document's parts. */
    private Map<String, Object> fields(CatalogInForce catalog) {
        CatalogDocument doc = CatalogDocument.of(catalog.catalog());
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("origin", catalog.origin().name().toLowerCase());
        fields.put("source", doc.source());
        fields.put("lines", json.convertValue(doc.lines(), List.class));
        fields.put("blocked", json.convertValue(doc.blocked(), List.class));
        return fields;
    }
}
