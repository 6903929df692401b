package io.stepwise.executor.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What counts as a loss, and how it is said. */
class BaselineTest {

    private static Contents collections(Map<String, Long> counts, Map<String, String> notCounted) {
        return new Contents("collection", "objects", counts, notCounted);
    }

    private static final Baseline BEFORE = new Baseline("r1", "c1", "s1",
            collections(Map.of("Article", 1000L, "Author", 10L, "Draft", 0L, "Tag", 1L), Map.of()), Instant.EPOCH);

    @Test
    void fewerObjectsOrAGoneCollectionAreLossesGrowthIsNot() {
        assertThat(BEFORE.losses(collections(Map.of("Article", 990L, "Author", 11L, "Tag", 1L, "New", 5L), Map.of())))
                .containsExactly("collection Article has 990 objects, 1000 before the upgrade (10 lost)");
        assertThat(BEFORE.losses(collections(Map.of("Article", 1000L, "Author", 10L, "Tag", 0L), Map.of())))
                .containsExactly("collection Tag has 0 objects, 1 before the upgrade (1 lost)");
        assertThat(BEFORE.losses(collections(Map.of("Article", 1000L, "Tag", 1L), Map.of())))
                .as("Author gone; the empty Draft gone loses nothing")
                .containsExactly("collection Author is gone, 10 objects before the upgrade (10 lost)");
    }

    @Test
    void aCollectionThatCanNoLongerBeCountedIsNotJudged() {
        assertThat(BEFORE.losses(collections(Map.of("Article", 1000L, "Author", 10L, "Tag", 1L),
                Map.of("Draft", "multi-tenant")))).isEmpty();
    }

    @Test
    void describesWhatWasCountedAndWhatWasNot() {
        assertThat(collections(Map.of("Article", 1L), Map.of("Docs", "multi-tenant")).describe())
                .isEqualTo("1 collection, 1 object (not counted: Docs, multi-tenant)");
    }
}
