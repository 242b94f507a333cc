package io.midicatalog.api;

import java.time.Instant;
import java.util.Objects;

/** A favorite file and when it became one. */
public record Favorite(long fileId, String path, String filename, Instant addedAt) {
    public Favorite {
        if (fileId < 1) {
            throw new IllegalArgumentException("fileId must be positive: " + fileId);
        }
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(filename, "filename");
        Objects.requireNonNull(addedAt, "addedAt");
    }
}
