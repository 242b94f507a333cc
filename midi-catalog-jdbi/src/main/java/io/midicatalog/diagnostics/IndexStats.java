package io.midicatalog.diagnostics;

import java.util.Objects;

/**
 * One index from {@code pg_stat_user_indexes}.
 *
 * @param scans index scans since statistics were last reset
 * @param estimatedBloatRatio share of the index not explained by its rows (0-1, heuristic for
 *     btree indexes on plain columns), or -1 when it cannot be estimated
 * @param unique whether it enforces uniqueness (never reported unused: it is a constraint)
 */
public record IndexStats(String table, String name, long sizeBytes, long scans, boolean unique,
                         double estimatedBloatRatio, String definition) {
    public IndexStats {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(definition, "definition");
    }
}
