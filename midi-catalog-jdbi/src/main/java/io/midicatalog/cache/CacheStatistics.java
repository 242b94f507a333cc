package io.midicatalog.cache;

/**
 * A snapshot of one cache's counters since the catalog started (Caffeine's stats).
 *
 * @param hits lookups answered from the cache
 * @param misses lookups that went to the database
 * @param loads database loads made by the cache itself (single-key misses; batch misses load in one query)
 * @param evictions entries dropped for size or age (not invalidations)
 * @param size approximate number of entries now
 */
public record CacheStatistics(long hits, long misses, long loads, long evictions, long size) {
    public CacheStatistics {
        if (hits < 0 || misses < 0 || loads < 0 || evictions < 0 || size < 0) {
            throw new IllegalArgumentException("counters must be >= 0: " + hits + "/" + misses + "/" + loads
                    + "/" + evictions + "/" + size);
        }
    }

    /** hits / (hits + misses), 1.0 before the first lookup. */
    public double hitRate() {
        long total = hits + misses;
        return total == 0 ? 1.0 : (double) hits / total;
    }
}
