package io.midicatalog.api;

import java.util.List;

/**
 * The lists a library browser shows, each with file counts. Counts come from a small table kept
 * current by statement-level triggers on {@code files} (schema V4), so each list costs a scan of a
 * few hundred rows, not a GROUP BY over the catalog. Values with no files are left out.
 * Thread-safe; {@link CatalogException} when the database fails.
 */
public interface BrowseRepository {
    int MAX_RECENT = 1_000;

    /** Manufacturers with their file counts, by name. */
    List<NameCount> manufacturers();

    /** Every collection with its manufacturer and file count, by manufacturer then name. */
    List<CollectionCount> collections();

    /**
     * The collections of one manufacturer (exact name), by name.
     *
     * @throws IllegalArgumentException when the manufacturer is null or blank
     */
    List<CollectionCount> collections(String manufacturer);

    /** Keys with their file counts, by key code ({@link MusicalKey#UNKNOWN} last). */
    List<KeyCount> keys();

    /** Categories with their file counts, by category code. */
    List<CategoryCount> categories();

    /** Time signatures with their file counts, most used first. */
    List<TimeSignatureCount> timeSignatures();

    /**
     * The most recently imported files, newest first (an index walk).
     *
     * @throws IllegalArgumentException when {@code limit} is not 1..{@value #MAX_RECENT}
     */
    List<RecentFile> recentFiles(int limit);
}
