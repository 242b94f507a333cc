package io.midicatalog.api;

import java.util.List;
import java.util.Objects;

/**
 * The answer to a batch load: the entries found, in the order their ids were asked (each id once,
 * at its first position), and the ids that are not in the catalog, also in asked order.
 */
public record TrackBatch(List<TrackEntry> entries, List<Long> missing) {
    public TrackBatch {
        entries = List.copyOf(Objects.requireNonNull(entries, "entries"));
        missing = List.copyOf(Objects.requireNonNull(missing, "missing"));
    }

    /** True when every id asked for was found. */
    public boolean complete() {
        return missing.isEmpty();
    }
}
