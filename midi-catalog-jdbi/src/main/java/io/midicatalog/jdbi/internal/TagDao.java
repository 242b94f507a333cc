package io.midicatalog.jdbi.internal;

import io.midicatalog.api.TagCount;
import io.midicatalog.api.TagMatch;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Tags and file_tags. Tag names compare case-insensitively through lower(), as tags_name_lower. Not API. */
@RegisterConstructorMapper(TagCount.class)
@RegisterConstructorMapper(TagMatch.class)
public interface TagDao {
    @SqlUpdate("""
            INSERT INTO tags (name)
            SELECT n FROM unnest(:names::text[]) AS n ORDER BY lower(n)
            ON CONFLICT ((lower(name))) DO NOTHING""")
    int createMissing(String[] names);

    /**
     * The ids of the tags so named, locked FOR KEY SHARE until commit: a merge or another delete
     * of one of them waits for this transaction (the pairs it added or removed then are what the
     * merge copies), while adds and removes of the same tags and renames go on. A tag deleted since {@link #createMissing} is not
     * here: the caller creates it again.
     */
    @SqlQuery("""
            SELECT id FROM tags
             WHERE lower(name) IN (SELECT lower(n) FROM unnest(:names::text[]) AS n)
             ORDER BY id FOR KEY SHARE""")
    long[] lockIds(String[] names);

    /** How many tags these names are (distinct as lower() compares them). */
    @SqlQuery("SELECT count(DISTINCT lower(n)) FROM unnest(:names::text[]) AS n")
    int distinctNames(String[] names);

    /** Adds every (file, tag) pair not yet present; files that do not exist are skipped. */
    @SqlQuery("""
            INSERT INTO file_tags (file_id, tag_id)
            SELECT f.id, t.id
              FROM files f CROSS JOIN unnest(:tagIds::bigint[]) AS t(id)
             WHERE f.id = ANY(:fileIds)
             ORDER BY f.id, t.id
            ON CONFLICT (file_id, tag_id) DO NOTHING
            RETURNING file_id""")
    long[] addPairs(long[] fileIds, long[] tagIds);

    /** Removes the pairs of these files and tags ({@link #lockIds}: a merge must not copy them meanwhile). */
    @SqlQuery("""
            DELETE FROM file_tags WHERE file_id = ANY(:fileIds) AND tag_id = ANY(:tagIds)
            RETURNING file_id""")
    long[] removePairs(long[] fileIds, long[] tagIds);

    @SqlQuery("""
            SELECT t.name FROM file_tags ft JOIN tags t ON t.id = ft.tag_id
             WHERE ft.file_id = :fileId ORDER BY lower(t.name)""")
    List<String> tagsOf(long fileId);

    /** Per-tag file counts: the sum of the tag's delta rows in tag_file_counts (V4). */
    String COUNTS = """
            LEFT JOIN LATERAL (SELECT coalesce(sum(c.files), 0)::bigint AS files
                                 FROM tag_file_counts c WHERE c.tag_id = t.id) n ON true
            """;

    // a sum over a few rows per tag (kept by the V4 triggers) instead of a GROUP BY over file_tags
    @SqlQuery("""
            SELECT t.name AS tag, coalesce(c.files, 0) AS files
              FROM tags t
              LEFT JOIN (SELECT tag_id, sum(files)::bigint AS files FROM tag_file_counts GROUP BY tag_id) c
                     ON c.tag_id = t.id
             ORDER BY files DESC, lower(t.name)""")
    List<TagCount> withCounts();

    // :pattern is a LIKE pattern with its wildcards escaped; serves by tags_name_prefix
    @SqlQuery("""
            SELECT t.name AS tag, n.files FROM tags t
            """ + COUNTS + """
             WHERE lower(t.name) LIKE lower(:pattern)
             ORDER BY n.files DESC, lower(t.name) LIMIT :limit""")
    List<TagCount> byPrefix(String pattern, int limit);

    // % is pg_trgm's similarity operator (threshold pg_trgm.similarity_threshold, default 0.3); serves by tags_name_trgm
    @SqlQuery("""
            SELECT t.name AS tag, n.files, similarity(lower(t.name), lower(:text)) AS similarity
              FROM tags t
            """ + COUNTS + """
             WHERE lower(t.name) % lower(:text)
             ORDER BY similarity DESC, n.files DESC, lower(t.name) LIMIT :limit""")
    List<TagMatch> similar(String text, int limit);

    @SqlUpdate("UPDATE tags SET name = :to WHERE lower(name) = lower(:from)")
    int rename(String from, String to);

    /**
     * The ids of the source tags of a merge, locked FOR UPDATE until commit: an add that locked one
     * (see {@link #lockIds}) commits its pairs first, so the copy that follows sees them. Taken
     * before the target is created: a rename of a source to the target's name then waits for the
     * merge (or the merge for it), where the merge's uncommitted new target and the rename's
     * locked source used to deadlock.
     */
    @SqlQuery("""
            SELECT id FROM tags
             WHERE lower(name) IN (SELECT lower(n) FROM unnest(:names::text[]) AS n) AND lower(name) <> lower(:target)
             ORDER BY id FOR UPDATE""")
    long[] idsOf(String[] names, String target);

    /** Gives the target tag to every file with a source tag, once; 'manual' wins over 'name'. */
    @SqlQuery("""
            INSERT INTO file_tags (file_id, tag_id, source)
            SELECT file_id, :target, min(source) FROM file_tags
             WHERE tag_id = ANY(:sources) GROUP BY file_id ORDER BY file_id
            ON CONFLICT (file_id, tag_id) DO NOTHING
            RETURNING file_id""")
    long[] copyToTarget(long[] sources, long target);

    @SqlUpdate("DELETE FROM tags WHERE id = ANY(:ids)")
    int delete(long[] ids);
}
