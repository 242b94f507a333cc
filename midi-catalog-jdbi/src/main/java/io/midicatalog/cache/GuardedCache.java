package io.midicatalog.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A Caffeine cache that never keeps a value read before an invalidation that happened after the
 * read began. Absent values (null: no such file) are cached too, and invalidated like the others.
 *
 * <p>Why more than a plain Caffeine cache: (1) {@code Cache.invalidateAll()} leaves in-flight
 * loads alone, so a load that read the old row could install it after the write's invalidation;
 * entries therefore carry the generation they were read in, and {@link #invalidateAll()} bumps it.
 * (2) Batch loads read outside Caffeine's per-key compute, so a per-key invalidation during the
 * read would be lost; batch results are put only if no invalidation happened since the read began.
 * Single-key loads go through {@code Cache.get(key, fn)}: one load per key under concurrency, and
 * Caffeine's {@code invalidate(key)} waits for an in-flight load of that key.
 */
final class GuardedCache<K, V> {
    private record Stamped<V>(long generation, @Nullable V value) {}

    private final Cache<K, Stamped<V>> cache;
    private final Object lock = new Object();
    /** Bumped by invalidateAll; entries of older generations are stale. */
    private volatile long generation;
    /** Bumped by every invalidation (guarded by lock; read without it only as a hint). */
    private volatile long epoch;

    GuardedCache(long maxSize, Duration ttl) {
        this.cache = Caffeine.newBuilder().maximumSize(maxSize).expireAfterWrite(ttl).recordStats().build();
    }

    /** The cached value, or the loader's (run once per key however many threads ask). */
    @Nullable V get(K key, Function<K, @Nullable V> loader) {
        while (true) {
            Stamped<V> stamped = cache.get(key, k -> {
                long readIn = generation;   // before the read: an invalidateAll during it makes this stale
                return new Stamped<>(readIn, loader.apply(k));
            });
            if (stamped.generation() == generation) {
                return stamped.value();
            }
            cache.asMap().remove(key, stamped);
        }
    }

    /**
     * Values of many keys: cached ones from the cache, the rest from one call of {@code bulkLoader}
     * (which returns the values it found; keys it leaves out are cached as absent).
     */
    Map<K, @Nullable V> getAll(Collection<K> keys, Function<Set<K>, Map<K, V>> bulkLoader) {
        Map<K, Stamped<V>> present = cache.getAllPresent(keys);
        long currentGeneration = generation;
        Map<K, @Nullable V> result = new HashMap<>(keys.size() * 2);
        Set<K> missing = new LinkedHashSet<>();
        for (K key : keys) {
            Stamped<V> stamped = present.get(key);
            if (stamped != null && stamped.generation() == currentGeneration) {
                result.put(key, stamped.value());
            } else {
                missing.add(key);
            }
        }
        if (missing.isEmpty()) {
            return result;
        }
        long epochBefore;
        long generationBefore;
        synchronized (lock) {
            epochBefore = epoch;
            generationBefore = generation;
        }
        Map<K, V> loaded = bulkLoader.apply(missing);
        synchronized (lock) {
            boolean unchanged = epoch == epochBefore;
            for (K key : missing) {
                V value = loaded.get(key);
                result.put(key, value);
                if (unchanged) {
                    cache.put(key, new Stamped<>(generationBefore, value));
                }
            }
        }
        return result;
    }

    void invalidate(Collection<K> keys) {
        synchronized (lock) {
            epoch++;
            cache.invalidateAll(keys);
        }
    }

    /** Drops the entries whose key and value match (a scan of the cache: meant for small caches). */
    void invalidateIf(java.util.function.BiPredicate<K, @Nullable V> stale) {
        synchronized (lock) {
            epoch++;
            cache.asMap().entrySet().removeIf(e -> stale.test(e.getKey(), e.getValue().value()));
        }
    }

    void invalidateAll() {
        synchronized (lock) {
            epoch++;
            generation++;
            cache.invalidateAll();
        }
    }

    CacheStatistics statistics() {
        CacheStats stats = cache.stats();
        return new CacheStatistics(stats.hitCount(), stats.missCount(), stats.loadCount(), stats.evictionCount(),
                cache.estimatedSize());
    }

    /** Drops entries of old generations and expired ones now (tests; Caffeine does it lazily otherwise). */
    void cleanUp() {
        cache.cleanUp();
    }
}
