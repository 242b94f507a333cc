package io.midicatalog.cache;

import java.time.Duration;

/**
 * Sizes and lifetimes of the catalog's caches ({@code MidiCatalog.builder().cache(spec)}).
 * {@link #defaults()} are the guide's: file details 10,000 entries / 1 h, track entries 1,000 /
 * 1 h, search pages 1,000 / 5 min, recently imported files 1 min, browse lists (manufacturers,
 * collections, keys, categories, time signatures) 24 h. Lifetimes bound staleness only for writes
 * that bypass the catalog (another process, plain SQL); writes through the catalog invalidate at once.
 */
public record CacheSpec(boolean enabled, long detailsMaxSize, Duration detailsTtl, long tracksMaxSize,
        Duration tracksTtl, long searchMaxSize, Duration searchTtl, long recentMaxSize, Duration recentTtl,
        long listsMaxSize, Duration listsTtl) {

    public CacheSpec {
        positive("detailsMaxSize", detailsMaxSize);
        positive("tracksMaxSize", tracksMaxSize);
        positive("searchMaxSize", searchMaxSize);
        positive("recentMaxSize", recentMaxSize);
        positive("listsMaxSize", listsMaxSize);
        positive("detailsTtl", detailsTtl);
        positive("tracksTtl", tracksTtl);
        positive("searchTtl", searchTtl);
        positive("recentTtl", recentTtl);
        positive("listsTtl", listsTtl);
    }

    /** The guide's sizes and lifetimes, enabled. */
    public static CacheSpec defaults() {
        return builder().build();
    }

    /** No caching: every call goes to the database. */
    public static CacheSpec disabled() {
        return builder().enabled(false).build();
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    private static void positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    private static void positive(String name, Duration value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    /** Fails fast: each setter rejects a bad value at once, quoting it. */
    public static final class Builder {
        private boolean enabled = true;
        private long detailsMaxSize = 10_000;
        private Duration detailsTtl = Duration.ofHours(1);
        private long tracksMaxSize = 1_000;
        private Duration tracksTtl = Duration.ofHours(1);
        private long searchMaxSize = 1_000;
        private Duration searchTtl = Duration.ofMinutes(5);
        private long recentMaxSize = 100;
        private Duration recentTtl = Duration.ofMinutes(1);
        private long listsMaxSize = 1_000;
        private Duration listsTtl = Duration.ofHours(24);

        private Builder() {}

        public Builder enabled(boolean value) {
            enabled = value;
            return this;
        }

        public Builder detailsMaxSize(long value) {
            positive("detailsMaxSize", value);
            detailsMaxSize = value;
            return this;
        }

        public Builder detailsTtl(Duration value) {
            positive("detailsTtl", value);
            detailsTtl = value;
            return this;
        }

        public Builder tracksMaxSize(long value) {
            positive("tracksMaxSize", value);
            tracksMaxSize = value;
            return this;
        }

        public Builder tracksTtl(Duration value) {
            positive("tracksTtl", value);
            tracksTtl = value;
            return this;
        }

        public Builder searchMaxSize(long value) {
            positive("searchMaxSize", value);
            searchMaxSize = value;
            return this;
        }

        public Builder searchTtl(Duration value) {
            positive("searchTtl", value);
            searchTtl = value;
            return this;
        }

        /** Distinct "recent files" list lengths kept. */
        public Builder recentMaxSize(long value) {
            positive("recentMaxSize", value);
            recentMaxSize = value;
            return this;
        }

        public Builder recentTtl(Duration value) {
            positive("recentTtl", value);
            recentTtl = value;
            return this;
        }

        /** Entries per browse list cache (collections are cached per manufacturer). */
        public Builder listsMaxSize(long value) {
            positive("listsMaxSize", value);
            listsMaxSize = value;
            return this;
        }

        public Builder listsTtl(Duration value) {
            positive("listsTtl", value);
            listsTtl = value;
            return this;
        }

        public CacheSpec build() {
            return new CacheSpec(enabled, detailsMaxSize, detailsTtl, tracksMaxSize, tracksTtl, searchMaxSize,
                    searchTtl, recentMaxSize, recentTtl, listsMaxSize, listsTtl);
        }
    }
}
