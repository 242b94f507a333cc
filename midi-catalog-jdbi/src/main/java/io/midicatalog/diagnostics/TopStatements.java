package io.midicatalog.diagnostics;

import java.util.List;
import java.util.Objects;

/**
 * The slowest statements by mean time, or why they cannot be read.
 *
 * @param status whether {@code pg_stat_statements} could be read
 * @param note what to do when it could not (how to preload and install it)
 */
public record TopStatements(Status status, String note, List<StatementStats> statements) {
    /** Whether pg_stat_statements answered. */
    public enum Status { AVAILABLE, NOT_PRELOADED, NOT_INSTALLED, NO_PERMISSION }

    public TopStatements {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(note, "note");
        statements = List.copyOf(statements);
    }
}
