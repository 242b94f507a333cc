package io.midicatalog.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything the catalog knows about one file: the track facts, the searched values, the musical
 * analysis with its sources ({@code musical}, null for a file that was never analysed), category,
 * instruments, tags (sorted, case as stored), favorite flag and every location.
 */
public record FileDetails(
        TrackEntry track,
        String originalFilename,
        long sizeBytes,
        @Nullable Instant modifiedAt,
        String contentHash,
        @Nullable Long fingerprint,
        @Nullable String manufacturer,
        @Nullable String collection,
        List<String> folderTags,
        @Nullable Double bpm,
        MusicalKey key,
        @Nullable TimeSignature timeSignature,
        int noteCount,
        boolean percussive,
        int gmFamilies,
        @Nullable MusicalFacts musical,
        CategoryInfo category,
        List<InstrumentEntry> instruments,
        List<String> tags,
        boolean favorite,
        List<FileLocation> locations,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant analyzedAt,
        @Nullable Instant missingSince) {
    public FileDetails {
        Objects.requireNonNull(track, "track");
        Objects.requireNonNull(originalFilename, "originalFilename");
        Objects.requireNonNull(contentHash, "contentHash");
        folderTags = List.copyOf(Objects.requireNonNull(folderTags, "folderTags"));
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(category, "category");
        instruments = List.copyOf(Objects.requireNonNull(instruments, "instruments"));
        tags = List.copyOf(Objects.requireNonNull(tags, "tags"));
        locations = List.copyOf(Objects.requireNonNull(locations, "locations"));
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes must be >= 0: " + sizeBytes);
        }
    }

    public long id() {
        return track.id();
    }
}
