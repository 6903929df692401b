package io.stepwise.executor.health;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a cluster holds, counted per item: Weaviate's objects per collection. {@code notCounted} names the items that
 * exist but cannot be counted, each with why (a multi-tenant collection counts per tenant only).
 *
 * @param itemKind what an item is, for messages: "collection"
 * @param unit     what is counted, plural: "objects"
 */
public record Contents(String itemKind, String unit, Map<String, Long> counts, Map<String, String> notCounted) {

    public Contents {
        counts = Map.copyOf(counts);
        notCounted = Map.copyOf(notCounted);
    }

    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** "1 object", "990 objects". */
    public String amount(long n) {
        return n + " " + (n == 1 && unit.endsWith("s") ? unit.substring(0, unit.length() - 1) : unit);
    }

    /** "1 collection", "2 collections". */
    public String items(int n) {
        return n + " " + itemKind + (n == 1 ? "" : "s");
    }

    /** "2 collections, 1010 objects", plus what was not counted. */
    public String describe() {
        String described = items(counts.size()) + ", " + amount(total());
        if (!notCounted.isEmpty()) {
            described += " (not counted: " + new TreeMap<>(notCounted).entrySet().stream()
                    .map(e -> e.getKey() + ", " + e.getValue()).collect(Collectors.joining("; ")) + ")";
        }
        return described;
    }
}
