package io.midicatalog.api;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A page of search results. {@code nextCursor} is opaque (pass it to
 * {@link SearchQuery.Builder#cursor(String)} with the same filters for the next page); null on
 * the last page. {@code total} is exact up to a cap, then an estimate ({@code totalIsEstimate}).
 * {@code facets} is null unless the query asked for them.
 */
public record SearchPage(
        List<SearchHit> rows,
        @Nullable String nextCursor,
        long total,
        boolean totalIsEstimate,
        @Nullable FacetCounts facets) {
    public SearchPage {
        rows = List.copyOf(requireNonNull(rows, "rows"));
        if (total < 0) {
            throw new IllegalArgumentException("total must be >= 0: " + total);
        }
    }
}
