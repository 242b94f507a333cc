package io.midicatalog.api;

import java.util.Collection;
import java.util.Set;

/**
 * Favorite files. Thread-safe; writes commit before they return and report to the catalog's
 * caches. Throws {@link IllegalArgumentException} for ids below 1, null or empty lists, more than
 * {@value TrackRepository#MAX_IDS} ids, page sizes outside 1..{@value #MAX_PAGE_SIZE} and cursors
 * this repository did not make; {@link CatalogException} when the database fails.
 */
public interface FavoriteRepository {
    int MAX_PAGE_SIZE = 1_000;

    /** @return true when the file became a favorite, false when it already was one or does not exist */
    boolean add(long fileId);

    /** @return true when the file was a favorite */
    boolean remove(long fileId);

    /** The first page, newest first (keyset pagination: every page costs the same). */
    FavoritePage list(int pageSize);

    /** The page after the one that returned {@code cursor}. */
    FavoritePage list(String cursor, int pageSize);

    /** Which of these files are favorites, in one query. */
    Set<Long> favoritesAmong(Collection<Long> fileIds);

    boolean isFavorite(long fileId);
}
