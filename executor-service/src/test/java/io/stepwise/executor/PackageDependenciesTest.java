package io.stepwise.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The product packages ({@code weaviate}, {@code pachyderm}) use the shared ones ({@code actuator}, {@code handler},
 * {@code config}, ...); no shared package names a product package, and no product package names another.
 * {@code StepHandlers} finds the handlers as beans, so it needs no product import either.
 */
class PackageDependenciesTest {

    private static final Path SOURCES = Path.of("src/main/java/io/stepwise/executor");
    private static final List<String> PRODUCTS = List.of("weaviate", "pachyderm");

    @Test
    void onlyAProductPackageNamesItsOwnClasses() throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            sources = files.filter(f -> f.toString().endsWith(".java")).toList();
        }

        assertThat(sources).hasSizeGreaterThan(40);
        for (Path source : sources) {
            String pkg = SOURCES.relativize(source.getParent()).toString().replace('/', '.');
            String text = read(source);
            for (String product : PRODUCTS) {
                if (!product.equals(pkg)) {
                    assertThat(text).as("%s names a class of %s", source, product)
                            .doesNotContain("io.stepwise.executor." + product + ".");
                }
            }
        }
    }

    private static String read(Path source) {
        try {
            return Files.readString(source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
