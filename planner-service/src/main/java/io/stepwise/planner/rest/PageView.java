package io.stepwise.planner.rest;

import io.stepwise.planner.service.Page;
import java.util.List;
import java.util.function.Function;

/** One page of a list: {@code page} counts from 0; {@code total} is the number of matches over all pages. */
public record PageView<T>(List<T> items, int page, int size, long total) {

    public static <S, T> PageView<T> of(Page<S> page, Function<S, T> view) {
        return new PageView<>(page.items().stream().map(view).toList(), page.page(), page.size(), page.total());
    }
}
