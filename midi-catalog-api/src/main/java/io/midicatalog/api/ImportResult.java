package io.midicatalog.api;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of one import.
 *
 * @param batchId the {@code import_batches} row of this import
 * @param status {@code COMPLETED}, or {@code CANCELLED} (stopped at a batch boundary; nothing was
 *     marked missing, unless the cancel came while moved files were read again at the end: then
 *     the marks stand and the moved files not reached keep their old path's names and values)
 * @param counts the final counts
 * @param failures the first failures (at most {@link #MAX_FAILURES}; all are in {@code import_failures})
 */
public record ImportResult(long batchId, Status status, ImportProgress counts, List<ImportFailure> failures) {
    /** How many failures the result carries at most. */
    public static final int MAX_FAILURES = 1000;

    /** How an import ended. */
    public enum Status { COMPLETED, CANCELLED }

    /** A file that could not be imported and why. */
    public record ImportFailure(String path, String reason) {
        public ImportFailure {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(reason, "reason");
        }
    }

    public ImportResult {
        if (batchId <= 0) {
            throw new IllegalArgumentException("batchId must be positive: " + batchId);
        }
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(counts, "counts");
        failures = List.copyOf(failures);
    }

    public double seconds() {
        return counts.seconds();
    }

    public double filesPerSecond() {
        return counts.filesPerSecond();
    }
}
