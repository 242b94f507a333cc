package io.midicatalog.api;

import java.util.Collection;
import java.util.Optional;

/**
 * Loads files for playback: id to path and header facts. Thread-safe.
 *
 * <p>Every method throws {@link IllegalArgumentException} for ids below 1, null or empty id lists,
 * and lists of more than {@value #MAX_IDS} ids, and {@link CatalogException} when the database fails.
 */
public interface TrackRepository {
    /** Most ids one call accepts. */
    int MAX_IDS = 10_000;

    /** One file by id (a primary key lookup). */
    Optional<TrackEntry> load(long id);

    /** Many files in one round trip, in the order asked; see {@link TrackBatch}. */
    TrackBatch load(long... ids);

    /** Many files in one round trip, in the order asked; see {@link TrackBatch}. */
    TrackBatch load(Collection<Long> ids);
}
