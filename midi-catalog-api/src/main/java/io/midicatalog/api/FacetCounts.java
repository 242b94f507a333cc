package io.midicatalog.api;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many files of a search fall into each key, BPM bucket ({@link #BPM_BUCKET_WIDTH} wide, keyed
 * by the bucket's lower bound; files without a BPM are under -1), category and manufacturer (the
 * most frequent ones; files without one are under ""). When {@code estimated} the counts were
 * scaled up from a sample and are approximate.
 */
public record FacetCounts(
        Map<MusicalKey, Long> byKey,
        Map<Integer, Long> byBpmBucket,
        Map<Category, Long> byCategory,
        Map<String, Long> byManufacturer,
        boolean estimated) {
    /** Width of a BPM bucket: 120 holds 120.0 up to (not including) 130.0. */
    public static final int BPM_BUCKET_WIDTH = 10;

    public FacetCounts {
        byKey = copy(byKey, "byKey");
        byBpmBucket = copy(byBpmBucket, "byBpmBucket");
        byCategory = copy(byCategory, "byCategory");
        byManufacturer = copy(byManufacturer, "byManufacturer");
    }

    private static <K> Map<K, Long> copy(Map<K, Long> map, String name) {
        requireNonNull(map, name);
        Map<K, Long> copy = new LinkedHashMap<>(map);
        copy.forEach((k, v) -> {
            requireNonNull(k, name + " key");
            if (v == null || v < 0) {
                throw new IllegalArgumentException(name + " counts must be >= 0: " + k + "=" + v);
            }
        });
        return Collections.unmodifiableMap(copy);
    }
}
