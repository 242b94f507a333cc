package io.midicatalog.api;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A file as the "recently imported" list shows it. */
public record RecentFile(long id, String path, String filename, @Nullable String manufacturer,
        @Nullable String collection, Instant importedAt) {
    public RecentFile {
        if (id < 1) {
            throw new IllegalArgumentException("id must be positive: " + id);
        }
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(filename, "filename");
        Objects.requireNonNull(importedAt, "importedAt");
    }
}
