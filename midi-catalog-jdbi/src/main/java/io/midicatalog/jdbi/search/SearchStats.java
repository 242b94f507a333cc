package io.midicatalog.jdbi.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Word and value frequencies from the count tables, kept in memory for {@code ttlNanos} so a
 * search does not spend round trips on them. They only choose plans (walk the sort index or
 * collect by bitmap; which segments to send) and estimate totals above the count cap, which are
 * flagged as estimates anyway: a stale frequency can make a search slower, never its rows or its
 * exact counts wrong (exact totals are read in the search's own statements). The catalog also
 * clears the cache on its own writes ({@link #invalidate()}); writes by other processes show up
 * within the TTL.
 */
final class SearchStats {
    /** Words kept at most; over it the word cache starts again (a full clear is cheap and rare). */
    private static final int MAX_WORDS = 50_000;

    /** Loads what is missing: word -> {name files, doc files}, or all value counts. */
    interface Loader {
        Map<String, long[]> words(List<String> words);

        Map<String, Map<String, Long>> values();
    }

    private record Word(long[] counts, long loadedAt) {}

    private record Values(Map<String, Map<String, Long>> counts, long loadedAt) {}

    private record Share(double value, long loadedAt) {}

    private final long ttlNanos;
    private final ConcurrentHashMap<String, Word> words = new ConcurrentHashMap<>();
    private volatile @Nullable Values values;
    private final ConcurrentHashMap<String, Share> shares = new ConcurrentHashMap<>();

    SearchStats(long ttlNanos) {
        if (ttlNanos < 0) {
            throw new IllegalArgumentException("ttlNanos must be >= 0: " + ttlNanos);
        }
        this.ttlNanos = ttlNanos;
    }

    /** Counts of these words (absent words count 0 and are cached as such). */
    Map<String, long[]> words(Set<String> wanted, Loader loader) {
        long now = System.nanoTime();
        Map<String, long[]> out = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (String w : wanted) {
            Word c = words.get(w);
            if (c != null && now - c.loadedAt < ttlNanos) {
                out.put(w, c.counts);
            } else {
                missing.add(w);
            }
        }
        if (!missing.isEmpty()) {
            Map<String, long[]> loaded = loader.words(missing);
            if (words.size() + missing.size() > MAX_WORDS) {
                words.clear();
            }
            for (String w : missing) {
                long[] c = loaded.getOrDefault(w, new long[2]);
                out.put(w, c);
                words.put(w, new Word(c, now));
            }
        }
        return out;
    }

    /** Per-value counts by dimension ('t', 'k', 'b', 'c', 'm'). */
    Map<String, Map<String, Long>> values(Loader loader) {
        Values v = values;
        long now = System.nanoTime();
        if (v == null || now - v.loadedAt >= ttlNanos) {
            v = new Values(loader.values(), now);
            values = v;
        }
        return v.counts;
    }

    /**
     * A share of the files (0-1) under {@code key}, from {@code loader} when missing or older than
     * the TTL: the planner's selectivity of filters the count tables cannot estimate.
     */
    double share(String key, java.util.function.DoubleSupplier loader) {
        long now = System.nanoTime();
        Share s = shares.get(key);
        if (s == null || now - s.loadedAt >= ttlNanos) {
            s = new Share(loader.getAsDouble(), now);
            if (shares.size() >= MAX_WORDS) {
                shares.clear();
            }
            shares.put(key, s);
        }
        return s.value;
    }

    void invalidate() {
        words.clear();
        values = null;
        shares.clear();
    }

}
