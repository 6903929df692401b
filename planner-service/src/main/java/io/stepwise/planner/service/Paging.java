package io.stepwise.planner.service;

import io.stepwise.planner.domain.FieldProblems;

/** The rule every list call shares for {@code page} and {@code size}. */
public final class Paging {

    private Paging() {
    }

    public static void check(FieldProblems problems, int page, int size, int maxSize) {
        if (page < 0) {
            problems.add("page", "must be 0 or more");
        }
        if (size < 1 || size > maxSize) {
            problems.add("size", "must be between 1 and " + maxSize);
        } else if (page > 0 && (long) page * size > Integer.MAX_VALUE) {
            problems.add("page", "page × size must stay below " + Integer.MAX_VALUE);
        }
    }
}
