package io.midicatalog.diagnostics;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Real values sampled from the catalog so that probes EXPLAIN realistic lookups: existing file ids,
 * an existing content hash, a frequent and a rare search word, an existing tag.
 * Any of them is absent (null / empty) when the catalog is empty.
 */
public record ProbeSamples(List<Long> fileIds, byte @Nullable [] contentHash, @Nullable String commonWord,
                           @Nullable String rareWord, @Nullable Long tagId, long fileCount) {
    public ProbeSamples {
        Objects.requireNonNull(fileIds, "fileIds");
        fileIds = List.copyOf(fileIds);
        contentHash = contentHash == null ? null : contentHash.clone();
    }

    @Override
    public byte @Nullable [] contentHash() {
        return contentHash == null ? null : contentHash.clone();
    }

    /** The first id, or {@code 1} when the catalog is empty (the probe then finds nothing, cheaply). */
    public long firstId() {
        return fileIds.isEmpty() ? 1L : fileIds.get(0);
    }

    /** Up to {@code n} ids as an array for {@code = ANY(:ids)}. */
    public long[] ids(int n) {
        return fileIds.stream().limit(n).mapToLong(Long::longValue).toArray();
    }
}
