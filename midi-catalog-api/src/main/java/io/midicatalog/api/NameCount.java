package io.midicatalog.api;

import java.util.Objects;

/** A name (manufacturer) and its number of files. */
public record NameCount(String name, long files) {
    public NameCount {
        Objects.requireNonNull(name, "name");
        if (files < 0) {
            throw new IllegalArgumentException("files must be >= 0: " + files);
        }
    }
}
