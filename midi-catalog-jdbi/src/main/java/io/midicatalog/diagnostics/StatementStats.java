package io.midicatalog.diagnostics;

import java.util.Objects;

/** One normalised statement from {@code pg_stat_statements} (query cut at 200 characters). */
public record StatementStats(String query, long calls, double totalMillis, double meanMillis, double stddevMillis,
                             long rows) {
    public StatementStats {
        Objects.requireNonNull(query, "query");
    }
}
