package io.midicatalog.api;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One path where a file's content was seen; {@code primary} is the location the file is loaded
 * from, the others are duplicates kept at other paths.
 */
public record FileLocation(String path, boolean primary, long sizeBytes, @Nullable Instant modifiedAt,
        Instant firstSeenAt, Instant lastSeenAt, @Nullable Instant missingSince) {
    public FileLocation {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(firstSeenAt, "firstSeenAt");
        Objects.requireNonNull(lastSeenAt, "lastSeenAt");
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes must be >= 0: " + sizeBytes);
        }
    }
}
