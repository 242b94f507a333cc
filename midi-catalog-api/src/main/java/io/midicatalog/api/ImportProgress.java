package io.midicatalog.api;

/**
 * Counts of one import so far. Every file seen ends in exactly one of imported, duplicates,
 * unchanged, updated, moved or failed (when the import completes):
 * {@code seen == imported + duplicates + unchanged + updated + moved + failed}.
 *
 * @param seen MIDI files found by the walk
 * @param imported new content, new catalog rows
 * @param duplicates content already in the catalog (or twice in this import): kept as an alternate location
 * @param unchanged path, size and mtime as in the catalog (or as when the file last failed): skipped
 *     without reading
 * @param updated changed content at a known path, re-analysed in place (same id); also an
 *     unchanged file that an older version of this library analysed, when this version stores
 *     other facts for it, read again the same way
 * @param moved content found at a new path whose old location is gone: same id, new primary path
 * @param missing locations under the root not found on disk (marked missing, not deleted)
 * @param failed unreadable or not MIDI: one import-failure row each
 * @param bytes bytes read
 * @param seconds since the import started
 */
public record ImportProgress(long seen, long imported, long duplicates, long unchanged, long updated, long moved,
        long missing, long failed, long bytes, double seconds) {

    public ImportProgress {
        if (seen < 0 || imported < 0 || duplicates < 0 || unchanged < 0 || updated < 0 || moved < 0 || missing < 0
                || failed < 0 || bytes < 0 || seconds < 0) {
            throw new IllegalArgumentException("counts must be >= 0: " + seen + "/" + imported + "/" + duplicates + "/"
                    + unchanged + "/" + updated + "/" + moved + "/" + missing + "/" + failed + "/" + bytes + "/" + seconds);
        }
    }

    /** Files accounted for (processed to an outcome). */
    public long done() {
        return imported + duplicates + unchanged + updated + moved + failed;
    }

    /** Files accounted for per second so far. */
    public double filesPerSecond() {
        return seconds > 0 ? done() / seconds : 0;
    }
}
