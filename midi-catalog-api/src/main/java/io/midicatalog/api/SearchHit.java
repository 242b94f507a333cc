package io.midicatalog.api;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * One file of a search page. {@code rank} is the relevance tier when the query has text (1.0: the
 * file name matches; 0.5: only manufacturer, collection, folders or category match), else 0.
 * {@code missing}: none of the file's locations was found by the last import that walked them
 * (kept, never deleted, in case it comes back), so its path may not open; an app may grey it out.
 */
public record SearchHit(
        long id,
        String path,
        String filename,
        @Nullable String manufacturer,
        @Nullable String collection,
        @Nullable Float bpm,
        MusicalKey key,
        @Nullable TimeSignature timeSignature,
        @Nullable Double durationSeconds,
        Category category,
        boolean favorite,
        double rank,
        boolean missing) {
    public SearchHit {
        if (id < 1) {
            throw new IllegalArgumentException("id must be positive: " + id);
        }
        requireNonNull(path, "path");
        requireNonNull(filename, "filename");
        requireNonNull(key, "key");
        requireNonNull(category, "category");
    }
}
