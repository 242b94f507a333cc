package io.midicatalog.api;

import java.util.Objects;

/** A category and its number of files. */
public record CategoryCount(Category category, long files) {
    public CategoryCount {
        Objects.requireNonNull(category, "category");
        if (files < 0) {
            throw new IllegalArgumentException("files must be >= 0: " + files);
        }
    }
}
