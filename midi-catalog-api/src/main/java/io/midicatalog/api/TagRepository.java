package io.midicatalog.api;

import java.util.Collection;
import java.util.List;

/**
 * Tags of files. Tag names are case-insensitive (adding {@code "Deep"} to a file when
 * {@code "deep"} exists uses {@code "deep"}), trimmed, 1 to {@value #MAX_TAG_LENGTH} characters.
 * Thread-safe; every write commits before it returns and reports what it changed to the
 * catalog's caches.
 *
 * <p>Every method throws {@link IllegalArgumentException} for bad input (ids below 1, null or
 * empty lists, more than {@value TrackRepository#MAX_IDS} ids, blank or too long tag names, limits
 * below 1 or above {@value #MAX_LIMIT}) and {@link CatalogException} when the database fails.
 */
public interface TagRepository {
    int MAX_TAG_LENGTH = 100;
    int MAX_LIMIT = 1_000;

    /**
     * Adds the tags to every file; files not in the catalog are skipped, tags a file already has are
     * kept as they are. Creates missing tags. One transaction.
     *
     * @return the number of (file, tag) pairs added
     */
    int add(Collection<Long> fileIds, Collection<String> tags);

    /** {@link #add(Collection, Collection)} for one file. */
    int add(long fileId, String... tags);

    /**
     * Removes the tags from every file (a tag itself stays, possibly with no files).
     *
     * @return the number of (file, tag) pairs removed
     */
    int remove(Collection<Long> fileIds, Collection<String> tags);

    /** {@link #remove(Collection, Collection)} for one file. */
    int remove(long fileId, String... tags);

    /** The tags of one file, sorted case-insensitively; empty for an unknown file. */
    List<String> tagsOf(long fileId);

    /**
     * Every tag with its number of files, most used first (then by name). One query over the tags
     * table, whose per-tag counts are kept by triggers; no per-tag count queries.
     */
    List<TagCount> withCounts();

    /** Tags starting with the prefix (case-insensitive), most used first; at most {@code limit}. */
    List<TagCount> autocomplete(String prefix, int limit);

    /** Tags similar to the text (pg_trgm trigram similarity >= 0.3), most similar first. */
    List<TagMatch> similar(String text, int limit);

    /**
     * Renames a tag (a change of case is a rename too).
     *
     * @return false when no tag is named {@code from}
     * @throws IllegalArgumentException when another tag is already named {@code to} (merge instead)
     */
    boolean rename(String from, String to);

    /**
     * Merges the source tags into the target (created when missing): every file that had a source
     * tag has the target afterwards, once; the source tags are deleted. Sources that do not exist
     * are ignored; a source equal to the target (case-insensitive) is skipped.
     *
     * @return the number of files that gained the target tag
     */
    int merge(Collection<String> sources, String target);
}
