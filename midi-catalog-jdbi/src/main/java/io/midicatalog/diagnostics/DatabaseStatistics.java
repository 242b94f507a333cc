package io.midicatalog.diagnostics;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Size, tables, indexes and activity of the catalog's database.
 *
 * @param connectionsByState connections to this database by {@code pg_stat_activity.state}
 * @param longRunning statements running longer than the threshold asked for
 */
public record DatabaseStatistics(String database, long sizeBytes, List<TableStats> tables, List<IndexStats> indexes,
                                 Map<String, Integer> connectionsByState, List<RunningQuery> longRunning) {
    public DatabaseStatistics {
        Objects.requireNonNull(database, "database");
        tables = List.copyOf(tables);
        indexes = List.copyOf(indexes);
        connectionsByState = Map.copyOf(connectionsByState);
        longRunning = List.copyOf(longRunning);
    }
}
