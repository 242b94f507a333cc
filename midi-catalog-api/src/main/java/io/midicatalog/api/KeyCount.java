package io.midicatalog.api;

import java.util.Objects;

/** A musical key and its number of files. */
public record KeyCount(MusicalKey key, long files) {
    public KeyCount {
        Objects.requireNonNull(key, "key");
        if (files < 0) {
            throw new IllegalArgumentException("files must be >= 0: " + files);
        }
    }
}
