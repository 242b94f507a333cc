package io.midicatalog.api;

import java.util.Objects;

/** A tag found by similarity: its file count and the pg_trgm similarity 0..1 to the text asked. */
public record TagMatch(String tag, long files, double similarity) {
    public TagMatch {
        Objects.requireNonNull(tag, "tag");
        if (files < 0) {
            throw new IllegalArgumentException("files must be >= 0: " + files);
        }
        if (!(similarity >= 0 && similarity <= 1)) {
            throw new IllegalArgumentException("similarity must be 0-1: " + similarity);
        }
    }
}
