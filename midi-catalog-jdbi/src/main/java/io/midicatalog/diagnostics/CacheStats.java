package io.midicatalog.diagnostics;

import java.util.Objects;

/**
 * Counters of one cache of the catalog since it started (from its Caffeine cache).
 *
 * @param loads database loads made by the cache itself
 * @param evictions entries dropped for size or age (not invalidations)
 * @param size approximate number of entries now
 */
public record CacheStats(String name, long hits, long misses, long loads, long evictions, long size) {
    public CacheStats {
        Objects.requireNonNull(name, "name");
    }

    /** hits / (hits + misses), 0 when nothing was asked yet. */
    public double hitRate() {
        long requests = hits + misses;
        return requests == 0 ? 0 : (double) hits / requests;
    }
}
