package io.midicatalog.diagnostics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Diagnostics#report(DiagnosticsOptions)} does. Defaults: long-running threshold 5 s,
 * top 10 statements, a sequential scan matters from 10,000 rows, no extension is installed, the
 * catalog's own query categories only.
 *
 * @param installPgStatStatements run {@code CREATE EXTENSION IF NOT EXISTS pg_stat_statements} when
 *     it is preloaded but not installed. Opt in only for a database you created: installing an
 *     extension changes the database being profiled.
 * @param extraCategories probes to run besides the catalog's own
 */
public record DiagnosticsOptions(Duration longRunningThreshold, int topStatements, long largeTableRows,
                                 boolean installPgStatStatements, boolean explain, List<QueryCategory> extraCategories) {
    public DiagnosticsOptions {
        Objects.requireNonNull(longRunningThreshold, "longRunningThreshold");
        if (longRunningThreshold.isNegative() || longRunningThreshold.isZero()) {
            throw new IllegalArgumentException("longRunningThreshold must be positive: " + longRunningThreshold);
        }
        if (topStatements < 0 || topStatements > 1000) {
            throw new IllegalArgumentException("topStatements must be 0-1000: " + topStatements);
        }
        if (largeTableRows < 1) {
            throw new IllegalArgumentException("largeTableRows must be positive: " + largeTableRows);
        }
        extraCategories = List.copyOf(extraCategories);
    }

    public static DiagnosticsOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Fail-fast builder; {@link #build()} validates. */
    public static final class Builder {
        private Duration longRunningThreshold = Duration.ofSeconds(5);
        private int topStatements = 10;
        private long largeTableRows = 10_000;
        private boolean installPgStatStatements;
        private boolean explain = true;
        private final List<QueryCategory> extraCategories = new ArrayList<>();

        private Builder() {}

        public Builder longRunningThreshold(Duration value) {
            longRunningThreshold = Objects.requireNonNull(value, "longRunningThreshold");
            return this;
        }

        public Builder topStatements(int value) {
            topStatements = value;
            return this;
        }

        public Builder largeTableRows(long value) {
            largeTableRows = value;
            return this;
        }

        /** See {@link DiagnosticsOptions#installPgStatStatements()}: only for a database you created. */
        public Builder installPgStatStatements(boolean value) {
            installPgStatStatements = value;
            return this;
        }

        /** Whether to EXPLAIN ANALYZE the query categories (default true). */
        public Builder explain(boolean value) {
            explain = value;
            return this;
        }

        public Builder addCategory(QueryCategory category) {
            extraCategories.add(Objects.requireNonNull(category, "category"));
            return this;
        }

        public DiagnosticsOptions build() {
            return new DiagnosticsOptions(longRunningThreshold, topStatements, largeTableRows, installPgStatStatements,
                    explain, extraCategories);
        }
    }
}
