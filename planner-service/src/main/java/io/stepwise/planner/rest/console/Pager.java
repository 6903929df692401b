package io.stepwise.planner.rest.console;

import io.stepwise.planner.service.Page;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;

/**
 * Where a paged table is, and the links to its neighbours. {@code query} is the rest of the page's query string
 * (filters), already encoded, so that paging keeps them.
 */
public record Pager(int page, int size, long total, String query) {

    static Pager of(Page<?> page, String query) {
        return new Pager(page.page(), page.size(), page.total(), query);
    }

    public long from() {
        return total == 0 ? 0 : (long) page * size + 1;
    }

    public long to() {
        return Math.min(total, (long) (page + 1) * size);
    }

    public boolean hasPrevious() {
        return page > 0;
    }

    public boolean hasNext() {
        return (long) (page + 1) * size < total;
    }

    public String previous() {
        return link(page - 1);
    }

    public String next() {
        return link(page + 1);
    }

    private String link(int target) {
        return "?" + (query.isEmpty() ? "" : query + "&") + "page=" + target;
    }

    /** The filters that are set, from names and values in turn, as an encoded query string. */
    static String query(String... namesAndValues) {
        StringJoiner joined = new StringJoiner("&");
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            String value = namesAndValues[i + 1];
            if (value != null && !value.isBlank()) {
                joined.add(namesAndValues[i] + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
        return joined.toString();
    }
}
