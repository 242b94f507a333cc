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
 * <p>Why more than a plain Caffeine cache: an invalidation removes only the entries already in
 * the map. A load in flight is not there yet ({@code Cache.invalidateAll()} and a scan of
 * {@code asMap()} skip it; only {@code invalidate(key)} waits for it), so it would install what it
 * read before the write once the write's invalidation had passed. Every invalidation therefore
 * bumps an epoch, and an entry is served as a hit only once it is <em>settled</em>: its first
 * reader checks, under the lock invalidations take, that the epoch has not moved since the load
 * began. If it has, the entry is removed: the callers that asked before the invalidation get the
 * value (the read was concurrent with the write), later ones read again. An unrelated invalidation
 * during a load thus costs that load its caching, never correctness. A hit on a settled entry is
 * one volatile read: no lock, no allocation.
 *
 * <p>Batch loads read outside Caffeine's per-key compute; their results are put, settled, only if
 * no invalidation happened since the read began. Single-key loads go through
 * {@code Cache.get(key, fn)}: one load per key under concurrency.
 */
final class GuardedCache<K, V> {
    /** A value and the epoch its load began in; identity, not value, equality (for remove). */
    private static final class Stamped<V> {
        final long loadedIn;
        final @Nullable V value;
        /** Set once no invalidation is known to have overtaken the load (under lock). */
        volatile boolean settled;

        Stamped(long loadedIn, @Nullable V value, boolean settled) {
            this.loadedIn = loadedIn;
            this.value = value;
            this.settled = settled;
        }
    }

    private final Cache<K, Stamped<V>> cache;
    private final Object lock = new Object();
    /** Bumped by every invalidation, under lock; read without it to stamp loads. */
    private volatile long epoch;

    GuardedCache(long maxSize, Duration ttl) {
        this.cache = Caffeine.newBuilder().maximumSize(maxSize).expireAfterWrite(ttl).recordStats().build();
    }

    /** The cached value, or the loader's (run once per key however many threads ask). */
    @Nullable V get(K key, Function<K, @Nullable V> loader) {
        while (true) {
            long asked = epoch;
            Stamped<V> stamped = cache.get(key, k -> {
                long loadedIn = epoch;   // before the read: an invalidation during it makes this stale
                return new Stamped<>(loadedIn, loader.apply(k), false);
            });
            if (stamped.settled || settle(stamped)) {
                return stamped.value;
            }
            cache.asMap().remove(key, stamped);
            if (asked <= stamped.loadedIn) {
                return stamped.value;   // asked before the invalidation that overtook the load
            }
        }
    }

    /** Whether no invalidation happened since the entry's load began; if so it stays settled. */
    private boolean settle(Stamped<V> stamped) {
        synchronized (lock) {
            if (epoch == stamped.loadedIn) {
                stamped.settled = true;
            }
            return stamped.settled;
        }
    }

    /**
     * Values of many keys: cached ones from the cache, the rest from one call of {@code bulkLoader}
     * (which returns the values it found; keys it leaves out are cached as absent).
     */
    Map<K, @Nullable V> getAll(Collection<K> keys, Function<Set<K>, Map<K, V>> bulkLoader) {
        Map<K, Stamped<V>> present = cache.getAllPresent(keys);
        Map<K, @Nullable V> result = new HashMap<>(keys.size() * 2);
        Set<K> missing = new LinkedHashSet<>();
        for (K key : keys) {
            Stamped<V> stamped = present.get(key);
            if (stamped != null && stamped.settled) {
                result.put(key, stamped.value);
            } else {
                missing.add(key);   // an unsettled entry is read again and replaced
            }
        }
        if (missing.isEmpty()) {
            return result;
        }
        long epochBefore = epoch;
        Map<K, V> loaded = bulkLoader.apply(missing);
        synchronized (lock) {
            boolean unchanged = epoch == epochBefore;
            for (K key : missing) {
                V value = loaded.get(key);
                result.put(key, value);
                if (unchanged) {
                    cache.put(key, new Stamped<>(epochBefore, value, true));
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
            cache.asMap().entrySet().removeIf(e -> stale.test(e.getKey(), e.getValue().value));
        }
    }

    void invalidateAll() {
        synchronized (lock) {
            epoch++;
            cache.invalidateAll();
        }
    }

    CacheStatistics statistics() {
        CacheStats stats = cache.stats();
        return new CacheStatistics(stats.hitCount(), stats.missCount(), stats.loadCount(), stats.evictionCount(),
                cache.estimatedSize());
    }

    /** Drops expired entries now (tests; Caffeine does it lazily otherwise). */
    void cleanUp() {
        cache.cleanUp();
    }
}
