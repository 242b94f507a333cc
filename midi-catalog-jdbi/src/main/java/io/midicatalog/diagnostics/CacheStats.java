package io.midicatalog.diagnostics;

import java.util.Objects;

/** Statistics of one cache of the catalog (from its Caffeine cache). */
public record CacheStats(String name, long hits, long misses, long evictions, long size, long maxSize) {
    public CacheStats {
        Objects.requireNonNull(name, "name");
    }

    /** hits / (hits + misses), 0 when nothing was asked yet. */
    public double hitRate() {
        long requests = hits + misses;
        return requests == 0 ? 0 : (double) hits / requests;
    }
}
