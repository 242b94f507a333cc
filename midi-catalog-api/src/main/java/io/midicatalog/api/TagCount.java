package io.midicatalog.api;

import java.util.Objects;

/** A tag and the number of files that carry it. */
public record TagCount(String tag, long files) {
    public TagCount {
        Objects.requireNonNull(tag, "tag");
        if (files < 0) {
            throw new IllegalArgumentException("files must be >= 0: " + files);
        }
    }
}
