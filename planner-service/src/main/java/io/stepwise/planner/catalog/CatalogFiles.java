package io.stepwise.planner.catalog;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.model.Product;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads catalog documents: the built-in ones shipped in {@code /catalog/{product}.json}, and operator files. */
public final class CatalogFiles {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private CatalogFiles() {
    }

    /** The catalog that ships with Stepwise ({@code src/main/resources/catalog/}; its {@code source} says where from). */
    public static VersionCatalog builtIn(Product product) {
        String resource = "/catalog/" + product.id() + ".json";
        try (InputStream in = CatalogFiles.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("built-in catalog " + resource + " is missing from the build");
            }
            return JSON.readValue(in, CatalogDocument.class).toCatalog();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read built-in catalog " + resource, e);
        }
    }

    /** An operator's catalog file; problems name the file and what is wrong in it. */
    public static VersionCatalog read(Path file) {
        try {
            return JSON.readValue(Files.readAllBytes(file), CatalogDocument.class).toCatalog();
        } catch (IOException e) {
            throw new InvalidCatalogException(List.of(file + ": " + e.getMessage()));
        } catch (InvalidCatalogException e) {
            throw new InvalidCatalogException(e.errors().stream().map(err -> file + ": " + err).toList());
        }
    }
}
