package io.midicatalog.api;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A collection (sample pack) of a manufacturer (null: none known) and its number of files. */
public record CollectionCount(@Nullable String manufacturer, String collection, long files) {
    public CollectionCount {
        Objects.requireNonNull(collection, "collection");
        if (files < 0) {
            throw new IllegalArgumentException("files must be >= 0: " + files);
        }
    }
}
