package io.midicatalog.diagnostics;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One table from {@code pg_stat_user_tables} and {@code pg_class}.
 *
 * @param deadRatio dead / (live + dead) tuples, 0-1
 * @param estimatedBloatRatio share of the heap not explained by live rows (0-1; a heuristic from
 *     {@code pg_stats} average widths, without pgstattuple), or -1 when it cannot be estimated
 * @param lastAnalyzed last ANALYZE or autoanalyze (ISO-8601), null when never
 */
public record TableStats(String name, long liveRows, long deadRows, double deadRatio, long totalBytes,
                         long heapBytes, long seqScans, long indexScans, double estimatedBloatRatio,
                         @Nullable String lastAnalyzed) {
    public TableStats {
        Objects.requireNonNull(name, "name");
    }
}
