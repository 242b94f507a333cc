package io.midicatalog.importer;

import io.midicatalog.api.ImportResult.ImportFailure;
import io.midicatalog.internal.LongHashSet;
import java.io.IOException;
import java.io.Reader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes batches of analysed files in one transaction each, over one connection it keeps.
 *
 * <p>Two ways to write a batch:
 * <ul>
 *   <li><b>direct</b> (a batch of paths the catalog did not know, the whole of a first import):
 *       one query finds which of the batch's contents the catalog already has, ids for the new
 *       files come from the sequence in one query, and the rows are COPYed straight into
 *       {@code files}, {@code musical_metadata}, {@code file_categories}, {@code file_instruments}
 *       and {@code file_locations}: no second copy of every row, no {@code INSERT ... SELECT}
 *       per table, no {@code UPDATE} of the staging table after each step. Measured on the 100K
 *       library, a quarter less wall time than the staged way and 15 s of PostgreSQL CPU against
 *       17-18 s.</li>
 *   <li><b>staged</b> (the fallback): COPY into a session-local staging table, then set-based
 *       statements with {@code ON CONFLICT}. Batches with known paths (changed files: updates in
 *       place, moves) take it, and so does any batch whose direct attempt lost a race: another
 *       import inserted the same content or path first (unique violation), or a file it found
 *       went away (foreign-key violation). The staged statements resolve those cases.</li>
 * </ul>
 *
 * <p>Concurrency: new files are written in content-hash order and locations in path order, so two
 * imports of the same tree wait on each other instead of deadlocking (a deadlock the database
 * still detects is retried), and the loser of a race on a content hash waits for the winner's
 * commit, fails, and is redone staged, where {@code ON CONFLICT} turns its rows into duplicates of
 * the winner's. A batch that fails on a lost connection, a deadlock or a uniqueness race is
 * retried whole on a fresh connection (it was rolled back whole); a batch the database rejects
 * for one bad row is split in halves until the row is found, and that row becomes an import
 * failure. One instance per writer thread.
 */
final class BatchWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);
    private static final int ATTEMPTS = 4;

    /**
     * The longest path, in UTF-8 bytes, the catalog stores. file_locations' primary key holds the
     * path whole, and a btree entry holds at most 2,704 bytes: a 4-byte length and an 8-byte
     * entry header leave 2,692 for the path. PostgreSQL compresses a longer entry when it can, but
     * whether a path compresses enough cannot be known before, so a longer path is refused here,
     * the same for every path, before the batch is written (a row the index rejects would fail its
     * whole batch until the row is isolated). Every other index that holds a path stores its
     * hash (import_failures, schema V14) or holds only the file name (at most 255 bytes).
     */
    static final int MAX_PATH_BYTES = 2_692;

    /*
     * Rewritten in place: a changed file whose new content is no file's and whose old content is at
     * no other present path, and the primary path of a file an older analysis wrote, read again
     * with the same content (files_outdated, schema V15); both keep id, tags and favorites.
     */
    private static final String MARK_IN_PLACE = """
        UPDATE import_stage s SET outcome = 'u', file_id = s.prev_file_id
         WHERE s.prev_file_id IS NOT NULL
           AND s.first_in_batch
           AND (EXISTS (SELECT 1 FROM files f WHERE f.id = s.prev_file_id)
                AND NOT EXISTS (SELECT 1 FROM files f WHERE f.content_hash = s.hash)
                AND NOT EXISTS (SELECT 1 FROM file_locations l
                                 WHERE l.file_id = s.prev_file_id AND l.path <> s.path AND l.missing_since IS NULL)
                OR EXISTS (SELECT 1 FROM files_outdated o JOIN files f ON f.id = o.file_id
                            WHERE o.file_id = s.prev_file_id AND f.content_hash = s.hash AND f.filepath = s.path))""";

    // a file rewritten in place holds this analysis's facts
    private static final String UNLIST_OUTDATED = """
        DELETE FROM files_outdated WHERE file_id IN (SELECT file_id FROM import_stage WHERE outcome = 'u')""";

    private static final String UPDATE_IN_PLACE = """
        UPDATE files f SET content_hash = s.hash, file_size_bytes = s.size, file_mtime = s.mtime,
               fingerprint = s.fingerprint, format = s.format, num_tracks = s.num_tracks, ticks_per_quarter = s.tpq,
               smpte = s.smpte, duration_seconds = s.duration_seconds, duration_ticks = s.duration_ticks,
               bpm = CASE WHEN m.bpm_source = 'manual' THEN f.bpm ELSE s.bpm END,
               key_code = CASE WHEN m.key_source = 'manual' THEN f.key_code ELSE s.key_code END,
               time_sig_num = CASE WHEN m.time_sig_source = 'manual' THEN f.time_sig_num ELSE s.ts_num END,
               time_sig_den = CASE WHEN m.time_sig_source = 'manual' THEN f.time_sig_den ELSE s.ts_den END,
               category = CASE WHEN c.manual THEN f.category ELSE s.category END,
               note_count = s.note_count, percussive = s.percussive, gm_families = s.gm_families,
               -- the document carries the category's words (new content, maybe another category)
               -- after the folder's: taken when the folder facts are the stored ones (an import
               -- from another root reads them otherwise, and the row would disagree with itself)
               name_words = s.name_words, name_sig = s.name_sig, name_tsv = s.name_tsv,
               context_words = CASE WHEN s.same_folder_facts THEN s.context_words ELSE f.context_words END,
               doc_sig = CASE WHEN s.same_folder_facts THEN s.doc_sig ELSE f.doc_sig END,
               doc_tsv = CASE WHEN s.same_folder_facts THEN s.doc_tsv ELSE f.doc_tsv END,
               import_batch_id = ?, missing_since = NULL, updated_at = now(), analyzed_at = now()
          FROM (SELECT s.*, NOT coalesce(c.manual, false) AND s.manufacturer IS NOT DISTINCT FROM o.manufacturer
                           AND s.collection IS NOT DISTINCT FROM o.collection AND s.folder_tags = o.folder_tags
                           AS same_folder_facts
                  FROM import_stage s JOIN files o ON o.id = s.file_id
                  LEFT JOIN file_categories c ON c.file_id = s.file_id
                 WHERE s.outcome = 'u') s
          LEFT JOIN musical_metadata m ON m.file_id = s.file_id
          LEFT JOIN file_categories c ON c.file_id = s.file_id
         WHERE f.id = s.file_id""";

    // hash order: concurrent imports meet on the unique index in the same order (no deadlock)
    private static final String INSERT_NEW = """
        WITH ins AS (
            INSERT INTO files (filepath, filename, original_filename, file_size_bytes, file_mtime, content_hash,
                   fingerprint, format, num_tracks, ticks_per_quarter, smpte, duration_seconds, duration_ticks,
                   manufacturer, collection, folder_tags, bpm, key_code, time_sig_num, time_sig_den, category,
                   note_count, percussive, gm_families, name_words, context_words, name_sig, doc_sig, name_tsv, doc_tsv,
                   import_batch_id, analyzed_at)
            SELECT path, filename, filename, size, mtime, hash, fingerprint, format, num_tracks,
                   tpq, smpte, duration_seconds, duration_ticks, manufacturer, collection, folder_tags, bpm, key_code,
                   ts_num, ts_den, category, note_count, percussive, gm_families, name_words, context_words,
                   name_sig, doc_sig, name_tsv, doc_tsv,
                   ?::bigint, now()
              FROM import_stage WHERE outcome IS NULL AND first_in_batch
             ORDER BY hash
            ON CONFLICT (content_hash) DO NOTHING
            RETURNING id, content_hash)
        UPDATE import_stage s SET file_id = ins.id, outcome = 'n'
          FROM ins
         WHERE s.hash = ins.content_hash AND s.first_in_batch""";

    // 's': a known path whose mtime changed but whose bytes did not
    private static final String RESOLVE_EXISTING = """
        UPDATE import_stage s SET file_id = f.id, outcome = CASE WHEN f.id = s.prev_file_id THEN 's' ELSE 'd' END
          FROM files f
         WHERE s.outcome IS NULL AND f.content_hash = s.hash""";

    // content of a file marked missing found again at a new path: it moved while no import ran
    private static final String REVIVE_MOVED = """
        WITH first_seen AS (
            SELECT DISTINCT ON (file_id) file_id, seq, path, filename
              FROM import_stage WHERE outcome = 'd' ORDER BY file_id, seq),
        revived AS (
            UPDATE files f SET missing_since = NULL, filepath = fs.path, filename = fs.filename, updated_at = now()
              FROM first_seen fs
             WHERE f.id = fs.file_id AND f.missing_since IS NOT NULL
            RETURNING f.id)
        UPDATE import_stage s SET outcome = 'm'
          FROM first_seen fs JOIN revived r ON r.id = fs.file_id
         WHERE s.seq = fs.seq
        RETURNING s.file_id, s.path""";

    /*
     * A file that takes another primary path (a move, a rename, its primary copy gone) must look
     * as a fresh import of that path would make it: manufacturer, collection, folder tags, name
     * and context words, their signatures and documents come from the path, and BPM, key, meter
     * and category from the path and the content together (ValueResolver), which is why they come
     * from an analysis of the file at its new path (a staging row) rather than being recomputed
     * from what is stored. Values set by hand stay, as in UPDATE_IN_PLACE and UPSERT_METADATA; id,
     * original_filename, tags and favorites are not touched. A pair applies only while the path is
     * the file's primary path and the staged content is the file's (a file changed since it was
     * read is left to the import that reads it as changed). The count triggers of files (V2, V4)
     * follow the changed columns. Run only for files that did take another path.
     */
    static final String REFRESH_FROM_PATH = """
        WITH moved AS (
            SELECT DISTINCT ON (m.id) m.id, s.*
              FROM unnest(?::bigint[], ?::text[]) AS m(id, path)
              JOIN import_stage s ON s.path = m.path
              JOIN files f ON f.id = m.id AND f.filepath = m.path AND f.content_hash = s.hash
             ORDER BY m.id, s.seq),
        meta AS (
            UPDATE musical_metadata mm
               SET bpm_source = CASE WHEN mm.bpm_source = 'manual' THEN mm.bpm_source ELSE s.bpm_source END,
                   bpm_confidence = CASE WHEN mm.bpm_source = 'manual' THEN mm.bpm_confidence ELSE s.bpm_confidence END,
                   key_source = CASE WHEN mm.key_source = 'manual' THEN mm.key_source ELSE s.key_source END,
                   key_confidence = CASE WHEN mm.key_source = 'manual' THEN mm.key_confidence ELSE s.key_confidence END,
                   time_sig_source = CASE WHEN mm.time_sig_source = 'manual' THEN mm.time_sig_source
                                          ELSE s.time_sig_source END
              FROM moved s
             WHERE mm.file_id = s.id),
        categories AS (
            UPDATE file_categories fc
               SET secondary_category = s.secondary_category, source = s.category_source,
                   confidence = s.category_confidence
              FROM moved s
             WHERE fc.file_id = s.id AND NOT fc.manual)
        UPDATE files f SET filename = s.filename, manufacturer = s.manufacturer, collection = s.collection,
               folder_tags = s.folder_tags,
               bpm = CASE WHEN m.bpm_source = 'manual' THEN f.bpm ELSE s.bpm END,
               key_code = CASE WHEN m.key_source = 'manual' THEN f.key_code ELSE s.key_code END,
               time_sig_num = CASE WHEN m.time_sig_source = 'manual' THEN f.time_sig_num ELSE s.ts_num END,
               time_sig_den = CASE WHEN m.time_sig_source = 'manual' THEN f.time_sig_den ELSE s.ts_den END,
               category = CASE WHEN c.manual THEN f.category ELSE s.category END,
               name_words = s.name_words, context_words = s.context_words, name_sig = s.name_sig,
               doc_sig = s.doc_sig, name_tsv = s.name_tsv, doc_tsv = s.doc_tsv, updated_at = now()
          FROM moved s
          LEFT JOIN musical_metadata m ON m.file_id = s.id
          LEFT JOIN file_categories c ON c.file_id = s.id
         WHERE f.id = s.id
        RETURNING f.id""";

    private static final String UPSERT_LOCATIONS = """
        INSERT INTO file_locations (path, file_id, file_size_bytes, file_mtime, import_batch_id)
        SELECT path, file_id, size, mtime, ?::bigint FROM import_stage ORDER BY path
        ON CONFLICT (path) DO UPDATE
           SET file_id = EXCLUDED.file_id, file_size_bytes = EXCLUDED.file_size_bytes,
               file_mtime = EXCLUDED.file_mtime, import_batch_id = EXCLUDED.import_batch_id,
               last_seen_at = now(), missing_since = NULL""";

    /*
     * A changed path that now holds other content, another file's (the path overwritten with a
     * copy of a known file, two files' names swapped): the file it held before must not keep it as
     * its primary path, or the catalog would show that file at a path holding other content. It
     * takes its newest present location (ImportRun.markMissing's rule); one with none left is
     * marked missing by STRAND_OLD and keeps the path where it was last seen.
     */
    private static final String REPOINT_OLD = """
        WITH old AS (
            SELECT f.id FROM files f
             WHERE f.id IN (SELECT prev_file_id FROM import_stage WHERE prev_file_id IS NOT NULL AND file_id <> prev_file_id)
               AND EXISTS (SELECT 1 FROM file_locations l WHERE l.path = f.filepath AND l.file_id <> f.id)),
        present AS (
            SELECT DISTINCT ON (l.file_id) l.file_id, l.path
              FROM file_locations l JOIN old o ON o.id = l.file_id
             WHERE l.missing_since IS NULL
             ORDER BY l.file_id, l.first_seen_at DESC, l.path)
        UPDATE files f SET filepath = p.path, filename = regexp_replace(p.path, '^.*/', ''), updated_at = now()
          FROM present p
         WHERE f.id = p.file_id
        RETURNING f.id, p.path""";

    // a changed path that now holds other content: its old file may have no location left
    private static final String STRAND_OLD = """
        UPDATE files f SET missing_since = now(), updated_at = now()
         WHERE f.id IN (SELECT prev_file_id FROM import_stage WHERE prev_file_id IS NOT NULL AND file_id <> prev_file_id)
           AND f.missing_since IS NULL
           AND NOT EXISTS (SELECT 1 FROM file_locations l WHERE l.file_id = f.id AND l.missing_since IS NULL)
        RETURNING f.id""";

    /*
     * A known path read again with its own content ('s': the mtime changed, the bytes did not) of
     * a file marked missing: the file is back (copied back or restored from a backup, which keeps
     * the bytes but not the mtime). UPSERT_LOCATIONS clears the location's mark; this clears the
     * file's. Its primary path may be another, still missing, location: ImportRun.markMissing
     * looks at the files returned (repathed) and gives them a present one.
     */
    private static final String REVIVE_UNCHANGED = """
        UPDATE files f SET missing_since = NULL, updated_at = now()
         WHERE f.id IN (SELECT file_id FROM import_stage WHERE outcome = 's')
           AND f.missing_since IS NOT NULL
        RETURNING f.id""";

    /*
     * A file rewritten in place from a path that is not its primary one: it had no other present
     * location (MARK_IN_PLACE), so its primary path is gone (every copy went missing, one came
     * back edited). ImportRun.markMissing looks at these files (repathed) and gives them the
     * present path, whose values it then reads.
     */
    private static final String IN_PLACE_ELSEWHERE = """
        SELECT s.file_id FROM import_stage s JOIN files f ON f.id = s.file_id
         WHERE s.outcome = 'u' AND f.filepath <> s.path""";

    private static final String UPSERT_METADATA = """
        INSERT INTO musical_metadata AS mm (file_id, bpm_source, bpm_confidence, initial_bpm, content_bpm,
               tempo_change_count, tempo_changes, key_source, key_confidence, detected_key_code, key_signature_code,
               key_changes, time_sig_source, time_sig_changes, unique_pitches, pitch_min, pitch_max, avg_velocity,
               note_density, polyphony_max, polyphony_avg, is_monophonic, has_chords, has_melody, track_names,
               copyright, texts, lyrics, warnings)
        SELECT file_id, bpm_source, bpm_confidence, initial_bpm, content_bpm, tempo_change_count, tempo_changes,
               key_source, key_confidence, detected_key_code, key_signature_code, key_changes, time_sig_source,
               time_sig_changes, unique_pitches, pitch_min, pitch_max, avg_velocity, note_density, polyphony_max,
               polyphony_avg, is_monophonic, has_chords, has_melody, track_names, copyright, texts, lyrics, warnings
          FROM import_stage WHERE outcome IN ('n', 'u') ORDER BY file_id
        ON CONFLICT (file_id) DO UPDATE SET
               bpm_source = CASE WHEN mm.bpm_source = 'manual' THEN mm.bpm_source ELSE EXCLUDED.bpm_source END,
               bpm_confidence = CASE WHEN mm.bpm_source = 'manual' THEN mm.bpm_confidence ELSE EXCLUDED.bpm_confidence END,
               initial_bpm = EXCLUDED.initial_bpm, content_bpm = EXCLUDED.content_bpm,
               tempo_change_count = EXCLUDED.tempo_change_count, tempo_changes = EXCLUDED.tempo_changes,
               key_source = CASE WHEN mm.key_source = 'manual' THEN mm.key_source ELSE EXCLUDED.key_source END,
               key_confidence = CASE WHEN mm.key_source = 'manual' THEN mm.key_confidence ELSE EXCLUDED.key_confidence END,
               detected_key_code = EXCLUDED.detected_key_code, key_signature_code = EXCLUDED.key_signature_code,
               key_changes = EXCLUDED.key_changes,
               time_sig_source = CASE WHEN mm.time_sig_source = 'manual' THEN mm.time_sig_source
                                      ELSE EXCLUDED.time_sig_source END,
               time_sig_changes = EXCLUDED.time_sig_changes, unique_pitches = EXCLUDED.unique_pitches,
               pitch_min = EXCLUDED.pitch_min, pitch_max = EXCLUDED.pitch_max, avg_velocity = EXCLUDED.avg_velocity,
               note_density = EXCLUDED.note_density, polyphony_max = EXCLUDED.polyphony_max,
               polyphony_avg = EXCLUDED.polyphony_avg, is_monophonic = EXCLUDED.is_monophonic,
               has_chords = EXCLUDED.has_chords, has_melody = EXCLUDED.has_melody,
               track_names = EXCLUDED.track_names, copyright = EXCLUDED.copyright, texts = EXCLUDED.texts,
               lyrics = EXCLUDED.lyrics, warnings = EXCLUDED.warnings""";

    private static final String UPSERT_CATEGORIES = """
        INSERT INTO file_categories AS fc (file_id, secondary_category, source, confidence)
        SELECT file_id, secondary_category, category_source, category_confidence
          FROM import_stage WHERE outcome IN ('n', 'u') ORDER BY file_id
        ON CONFLICT (file_id) DO UPDATE
           SET secondary_category = EXCLUDED.secondary_category, source = EXCLUDED.source,
               confidence = EXCLUDED.confidence
         WHERE NOT fc.manual""";

    private static final String DELETE_OLD_INSTRUMENTS = """
        DELETE FROM file_instruments WHERE file_id IN (SELECT file_id FROM import_stage WHERE outcome = 'u')""";

    private static final String INSERT_INSTRUMENTS = """
        INSERT INTO file_instruments (file_id, channel, program, family, note_count)
        SELECT s.file_id, i.channel, i.program, i.family, i.note_count
          FROM import_stage s,
               unnest(s.inst_channels, s.inst_programs, s.inst_families, s.inst_notes)
                   AS i(channel, program, family, note_count)
         WHERE s.outcome IN ('n', 'u')
         ORDER BY 1, 2, 3
        ON CONFLICT DO NOTHING""";

    /** The lookup of already stored contents, with {@code %s} for the array of hashes. */
    static final String FIND_CONTENT_OF = """
        SELECT content_hash, id, missing_since IS NOT NULL FROM files WHERE content_hash = ANY(%s)""";
    private static final String FIND_CONTENT = FIND_CONTENT_OF.formatted("?");

    // the identity sequence of files.id (V1) by name: pg_get_serial_sequence() per row cost 3-5x more
    private static final String NEXT_IDS = """
        SELECT nextval('files_id_seq') FROM generate_series(1, ?)""";

    private static final String INSERT_FAILURES = """
        INSERT INTO import_failures (batch_id, path, reason, file_size_bytes, file_mtime)
        SELECT ?, p, r, nullif(s, -1), m FROM unnest(?::text[], ?::text[], ?::bigint[], ?::timestamptz[]) AS t(p, r, s, m)""";

    /**
     * Tests only: called with "commit" just before a batch commits and "committed" just after,
     * with its rows, so a test can order two writers' commits. Null (nothing called) otherwise.
     */
    static volatile @Nullable BiConsumer<String, List<StagedRow>> commitHook;

    /** How writer connections show in {@code pg_stat_activity} while an import writes. */
    static final String APPLICATION_NAME = "midi-catalog import writer";
    private static final long[] NONE = new long[0];
    private static final Outcome EMPTY = new Outcome(NONE, NONE, NONE, NONE, NONE, NONE, 0, 0, List.of());
    private static final String EXPLAIN = System.getProperty("midi.catalog.import.explain");
    private static final java.util.concurrent.atomic.AtomicInteger explained = new java.util.concurrent.atomic.AtomicInteger();
    private final Map<String, Long> timings = new TreeMap<>();
    private final DataSource dataSource;
    private final long batchId;
    /**
     * With an empty catalog at the start: the first 8 bytes of every content this writer inserted
     * (all of this import's copies of a content come to the same writer). A collision only costs a
     * lookup; 8-16 bytes a file.
     */
    private final @Nullable LongHashSet written;
    private @Nullable Connection connection;

    /**
     * @param emptyCatalog the catalog had no files when the import began: content not written by
     *     this writer is then new unless a concurrent import wrote it, which the unique index on
     *     content_hash catches, so only contents this writer wrote before are looked up
     */
    BatchWriter(DataSource dataSource, long batchId, boolean emptyCatalog) {
        this.dataSource = dataSource;
        this.batchId = batchId;
        this.written = emptyCatalog ? new LongHashSet(1 << 14) : null;
    }

    /** A batch: analysed files and files that failed before reaching the database. */
    record Batch(List<StagedRow> rows, List<Failed> failures) {}

    /** A file that failed, with the size and mtime it had (-1 and null when unknown). */
    record Failed(ImportFailure failure, long size, @Nullable Instant mtime) {}

    /**
     * What one batch did. Changed are files the batch changed besides those it counts (another
     * primary path, the missing mark, a location added, refreshed or lost): the caches must hear
     * of them. Unrefreshed are those of them
     * that took a primary path this batch did not analyse: their path-derived values are still
     * their old path's until {@link #refreshFromPaths} gets an analysis of the new one. Repathed
     * are the files it gave another primary path or marked missing because their path now holds
     * other content (ImportRun.markMissing looks at them again). Row failures are files the
     * database rejected (now failures too).
     */
    record Outcome(long[] added, long[] updated, long[] moved, long[] changed, long[] unrefreshed, long[] repathed,
            int duplicates, int unchanged, List<ImportFailure> rowFailures) {
        static Outcome merge(Outcome a, Outcome b) {
            List<ImportFailure> failures = new ArrayList<>(a.rowFailures);
            failures.addAll(b.rowFailures);
            return new Outcome(concat(a.added, b.added), concat(a.updated, b.updated), concat(a.moved, b.moved),
                    concat(a.changed, b.changed), concat(a.unrefreshed, b.unrefreshed), concat(a.repathed, b.repathed),
                    a.duplicates + b.duplicates, a.unchanged + b.unchanged, failures);
        }

        private static long[] concat(long[] x, long[] y) {
            long[] out = Arrays.copyOf(x, x.length + y.length);
            System.arraycopy(y, 0, out, x.length, y.length);
            return out;
        }
    }

    /**
     * Writes one batch in one transaction (or, when the database rejects a row, in halves). Files
     * whose path is longer than {@link #MAX_PATH_BYTES} are not written: they become failures.
     *
     * @throws SQLException when the batch still fails after the retries
     */
    Outcome write(Batch batch) throws SQLException {
        List<StagedRow> fit = new ArrayList<>(batch.rows().size());
        List<Failed> failures = new ArrayList<>(batch.failures());
        List<ImportFailure> refused = new ArrayList<>();
        for (StagedRow row : batch.rows()) {
            int bytes = pathBytes(row.path());
            if (bytes <= MAX_PATH_BYTES) {
                fit.add(row);
            } else {
                ImportFailure f = new ImportFailure(row.path(), pathTooLong(bytes));
                failures.add(new Failed(f, row.size(), row.mtime()));
                refused.add(f);
            }
        }
        if (refused.isEmpty()) {
            return writeRetrying(batch);
        }
        Outcome written = writeRetrying(new Batch(fit, failures));
        return Outcome.merge(written, new Outcome(NONE, NONE, NONE, NONE, NONE, NONE, 0, 0, refused));
    }

    /** The failure reason of a path of {@code bytes} bytes, over {@link #MAX_PATH_BYTES}. */
    static String pathTooLong(int bytes) {
        return "path too long for the catalog: " + bytes + " bytes in UTF-8, the most it stores is " + MAX_PATH_BYTES
                + " (PostgreSQL's index entry limit)";
    }

    /** The path's length as stored (UTF-8, what {@link BinaryCopy#clean} leaves), cheaply for short ones. */
    static int pathBytes(String path) {
        // a char is at most 3 bytes in UTF-8 (a surrogate pair: 4 for 2)
        return path.length() * 3 <= MAX_PATH_BYTES ? path.length()
                : BinaryCopy.clean(path).getBytes(StandardCharsets.UTF_8).length;
    }

    private Outcome writeRetrying(Batch batch) throws SQLException {
        SQLException last = null;
        boolean staged = false;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                return writeOnce(batch, staged);
            } catch (SQLException e) {
                rollbackQuietly();
                last = e;
                String state = e.getSQLState() == null ? "" : e.getSQLState();
                if (!staged && (state.startsWith("23") || state.startsWith("40"))) {
                    // the direct way lost a race (or met a bad row): the staged way resolves races
                    LOG.debug("direct write of {} files failed ({}); redoing it staged", batch.rows().size(), state);
                    staged = true;
                    continue;
                }
                if (isRetryable(state)) {
                    LOG.warn("batch of {} files failed ({}: {}); retrying, attempt {}", batch.rows().size(), state,
                            e.getMessage(), attempt + 1);
                    if (state.startsWith("08") || state.startsWith("57")) {
                        closeQuietly();
                    }
                    continue;
                }
                if (oneRowCanCause(state) && !batch.rows().isEmpty()) {
                    return bisect(batch, e);
                }
                throw e;
            }
        }
        throw last;
    }

    /**
     * Whether one bad row can make the database reject a batch with this SQLSTATE, so that
     * splitting the batch finds the row: data exceptions (22), integrity violations (23), internal
     * errors (XX, a corrupt value) and program limits (54: an index entry or a tsvector too long).
     */
    static boolean oneRowCanCause(String state) {
        return state.startsWith("22") || state.startsWith("23") || state.startsWith("XX") || state.startsWith("54");
    }

    static boolean isRetryable(String state) {
        return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
                || state.equals("40001") || state.equals("40P01") || state.equals("23505");
    }

    private Outcome bisect(Batch batch, SQLException cause) throws SQLException {
        List<StagedRow> rows = batch.rows();
        if (rows.size() == 1) {
            List<Failed> failures = new ArrayList<>(batch.failures());
            List<ImportFailure> rejected = new ArrayList<>();
            for (StagedRow row : rows) {
                ImportFailure f = new ImportFailure(row.path(), "database rejected the file: " + cause.getMessage());
                failures.add(new Failed(f, -1, null));
                rejected.add(f);
            }
            Outcome written = writeRetrying(new Batch(List.of(), failures));
            return new Outcome(written.added(), written.updated(), written.moved(), written.changed(),
                    written.unrefreshed(), written.repathed(), written.duplicates(), written.unchanged(), rejected);
        }
        int half = rows.size() / 2;
        Outcome first = writeRetrying(new Batch(rows.subList(0, half), batch.failures()));
        Outcome second = writeRetrying(new Batch(rows.subList(half, rows.size()), List.of()));
        return Outcome.merge(first, second);
    }

    private Outcome writeOnce(Batch batch, boolean staged) throws SQLException {
        Connection c = connection();
        List<StagedRow> rows = batch.rows();
        Outcome outcome = EMPTY;
        if (!rows.isEmpty()) {
            Outcome direct = staged || rows.stream().anyMatch(StagedRow::known) ? null : writeDirect(c, rows);
            outcome = direct != null ? direct : writeStaged(c, rows);
        }
        if (!batch.failures().isEmpty()) {
            try (PreparedStatement p = c.prepareStatement(INSERT_FAILURES)) {
                p.setLong(1, batchId);
                List<Failed> failed = batch.failures();
                p.setArray(2, c.createArrayOf("text", failed.stream().map(f -> BinaryCopy.clean(f.failure().path())).toArray()));
                p.setArray(3, c.createArrayOf("text", failed.stream().map(f -> BinaryCopy.clean(f.failure().reason())).toArray()));
                p.setArray(4, c.createArrayOf("bigint", failed.stream().map(Failed::size).toArray()));
                p.setArray(5, c.createArrayOf("timestamptz", failed.stream()
                        .map(f -> f.mtime() == null ? null : java.sql.Timestamp.from(f.mtime())).toArray()));
                p.executeUpdate();
            }
        }
        BiConsumer<String, List<StagedRow>> hook = commitHook;
        if (hook != null) {
            hook.accept("commit", rows);
        }
        timed("commit", c::commit);
        if (hook != null) {
            hook.accept("committed", rows);
        }
        return outcome;
    }

    /**
     * The direct way (see the class comment), or null when the batch needs the staged way after
     * all: some of its content belongs to a file marked missing (a move to revive).
     */
    private @Nullable Outcome writeDirect(Connection c, List<StagedRow> rows) throws SQLException {
        Map<ByteBuffer, Long> known = new HashMap<>();
        boolean[] missing = {false};
        byte[][] lookUp = rows.stream().map(StagedRow::hash)
                .filter(hash -> written == null || written.contains(prefix(hash))).toArray(byte[][]::new);
        if (lookUp.length > 0) {
            timed("findContent", () -> {
                try (PreparedStatement p = c.prepareStatement(FIND_CONTENT)) {
                    p.setArray(1, c.createArrayOf("bytea", lookUp));
                    try (ResultSet rs = p.executeQuery()) {
                        while (rs.next()) {
                            known.put(ByteBuffer.wrap(rs.getBytes(1)), rs.getLong(2));
                            missing[0] |= rs.getBoolean(3);
                        }
                    }
                }
            });
        }
        if (missing[0]) {
            return null;
        }
        // the first row of each content the catalog lacks becomes a new file; the others are duplicates
        Map<ByteBuffer, StagedRow> fresh = new HashMap<>();
        Set<Long> located = new LinkedHashSet<>();
        for (StagedRow row : rows) {
            ByteBuffer hash = ByteBuffer.wrap(row.hash());
            Long existing = known.get(hash);
            if (existing == null) {
                fresh.putIfAbsent(hash, row);
            } else {
                located.add(existing);   // a file already in the catalog gains this location
            }
        }
        List<StagedRow> added = new ArrayList<>(fresh.values());
        added.sort((a, b) -> Arrays.compareUnsigned(a.hash(), b.hash())); // bytea order: see the class comment
        long[] ids = new long[added.size()];
        if (!added.isEmpty()) {
            timed("nextIds", () -> {
                try (PreparedStatement p = c.prepareStatement(NEXT_IDS)) {
                    p.setInt(1, ids.length);
                    try (ResultSet rs = p.executeQuery()) {
                        for (int i = 0; rs.next(); i++) {
                            ids[i] = rs.getLong(1);
                        }
                    }
                }
            });
            long analyzed = BinaryCopy.micros(Instant.now());
            BinaryCopy files = new BinaryCopy(added.size() * 700);
            StringBuilder metadata = new StringBuilder(added.size() * 300);
            StringBuilder categories = new StringBuilder(added.size() * 24);
            StringBuilder instruments = new StringBuilder(added.size() * 32);
            for (int i = 0; i < added.size(); i++) {
                StagedRow row = added.get(i);
                long id = ids[i];
                known.put(ByteBuffer.wrap(row.hash()), id);
                if (written != null) {
                    written.add(prefix(row.hash())); // before the commit: a rolled-back one only costs a lookup
                }
                row.writeFile(files, id, batchId, analyzed);
                metadata.append(id).append('\t').append(row.metadata()).append('\n');
                categories.append(id).append('\t').append(row.category()).append('\n');
                int[] in = row.instruments();
                for (int k = 0; k < in.length; k += 4) {
                    instruments.append(id).append('\t').append(in[k]).append('\t').append(in[k + 1]).append('\t')
                            .append(in[k + 2]).append('\t').append(in[k + 3]).append('\n');
                }
            }
            files.finish();
            timed("copyFiles", () -> copy(c, "files (" + StagedRow.FILE_COLUMNS + ") FROM STDIN (FORMAT binary)",
                    files.buffer(), files.length()));
            timed("copyMetadata", () -> copy(c, "musical_metadata (" + StagedRow.METADATA_COLUMNS + ")", metadata));
            timed("copyCategories", () -> copy(c, "file_categories (" + StagedRow.CATEGORY_COLUMNS + ")", categories));
            if (!instruments.isEmpty()) {
                timed("copyInstruments", () -> copy(c, "file_instruments (" + StagedRow.INSTRUMENT_COLUMNS + ")",
                        instruments));
            }
        }
        List<StagedRow> byPath = new ArrayList<>(rows);
        byPath.sort(Comparator.comparing(StagedRow::path));
        StringBuilder locations = new StringBuilder(rows.size() * 160);
        for (StagedRow row : byPath) {
            locations.append(row.location()).append('\t').append(known.get(ByteBuffer.wrap(row.hash()))).append('\t')
                    .append(batchId).append('\n');
        }
        timed("copyLocations", () -> copy(c, "file_locations (" + StagedRow.LOCATION_COLUMNS + ")", locations));
        return new Outcome(ids, NONE, NONE, toArray(new ArrayList<>(located)), NONE, NONE, rows.size() - ids.length, 0,
                List.of());
    }

    private static long prefix(byte[] hash) {
        return ByteBuffer.wrap(hash).getLong();
    }

    private static void copy(Connection c, String target, CharSequence text) throws SQLException {
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        copy(c, target + " FROM STDIN", bytes, bytes.length);
    }

    /** COPY of the first length bytes; target names the table, columns and source ({@code FROM STDIN ...}). */
    private static void copy(Connection c, String target, byte[] bytes, int length) throws SQLException {
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + target);
        try {
            in.writeToCopy(bytes, 0, length);
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    /** The staged way (see the class comment). */
    private Outcome writeStaged(Connection c, List<StagedRow> rows) throws SQLException {
        timed("copy", () -> {
            try {
                c.unwrap(PGConnection.class).getCopyAPI()
                        .copyIn("COPY import_stage (" + StagedRow.STAGE_COLUMNS + ") FROM STDIN", new RowsReader(rows));
            } catch (IOException e) {
                throw new SQLException("could not stream the batch to the database: " + e.getMessage(), "08006", e);
            }
        });
        if (EXPLAIN != null && explained.incrementAndGet() == 5) {
            explain(c, EXPLAIN);
        }
        // no ANALYZE of the staging table: it cost more than all statements below together,
        // and without statistics the plans are the index nested loops we want (checked with EXPLAIN)
        // the statements about paths already in the catalog only run when the batch has some
        boolean known = rows.stream().anyMatch(StagedRow::known);
        if (known) {
            timed("markInPlace", () -> execute(c, MARK_IN_PLACE, -1));
            timed("updateInPlace", () -> execute(c, UPDATE_IN_PLACE, batchId));
            timed("unlistOutdated", () -> execute(c, UNLIST_OUTDATED, -1));
        }
        timed("insertNew", () -> execute(c, INSERT_NEW, batchId));
        timed("resolveExisting", () -> execute(c, RESOLVE_EXISTING, -1));
        // the refreshes run only when a file did take another path: no statement otherwise
        Map<Long, String> revived = new HashMap<>();
        timed("reviveMoved", () -> revived.putAll(idsAndPaths(c, REVIVE_MOVED)));
        if (!revived.isEmpty()) {
            timed("refreshRevived", () -> refresh(c, revived));
        }
        timed("upsertLocations", () -> execute(c, UPSERT_LOCATIONS, batchId));
        List<Long> changed = new ArrayList<>();
        List<Long> unrefreshed = new ArrayList<>();
        if (known) {
            Map<Long, String> repointed = new HashMap<>();
            timed("repointOld", () -> repointed.putAll(idsAndPaths(c, REPOINT_OLD)));
            changed.addAll(repointed.keySet());
            if (!repointed.isEmpty()) {
                // a new primary path in this batch has its analysis staged; another one is read again
                Set<Long> refreshed = new HashSet<>();
                timed("refreshRepointed", () -> refreshed.addAll(refresh(c, repointed)));
                repointed.keySet().stream().filter(id -> !refreshed.contains(id)).forEach(unrefreshed::add);
            }
            timed("strandOld", () -> changed.addAll(ids(c, STRAND_OLD)));
            timed("reviveUnchanged", () -> changed.addAll(ids(c, REVIVE_UNCHANGED)));
            timed("inPlaceElsewhere", () -> changed.addAll(ids(c, IN_PLACE_ELSEWHERE)));
        }
        timed("upsertMetadata", () -> execute(c, UPSERT_METADATA, -1));
        timed("upsertCategories", () -> execute(c, UPSERT_CATEGORIES, -1));
        if (known) {
            timed("deleteOldInstruments", () -> execute(c, DELETE_OLD_INSTRUMENTS, -1));
        }
        timed("insertInstruments", () -> execute(c, INSERT_INSTRUMENTS, -1));
        return summarize(c, rows.size(), toArray(changed), toArray(unrefreshed));
    }

    private static Outcome summarize(Connection c, int expected, long[] changed, long[] unrefreshed)
            throws SQLException {
        List<Long> added = new ArrayList<>();
        List<Long> updated = new ArrayList<>();
        List<Long> moved = new ArrayList<>();
        // details show locations: duplicates and unchanged files had one added or refreshed, the
        // files whose path now holds other content lost one
        Set<Long> located = new LinkedHashSet<>();
        int duplicates = 0;
        int unchanged = 0;
        int seen = 0;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT outcome, file_id, prev_file_id FROM import_stage")) {
            while (rs.next()) {
                seen++;
                String outcome = rs.getString(1);
                long previous = rs.getLong(3);
                if (!rs.wasNull() && previous != rs.getLong(2)) {
                    located.add(previous);
                }
                if (outcome == null) {
                    // a concurrent writer's row vanished between our statements: redo the batch
                    throw new SQLException("a staged file was not resolved", "40001");
                }
                switch (outcome) {
                    case "n" -> added.add(rs.getLong(2));
                    case "u" -> updated.add(rs.getLong(2));
                    case "m" -> moved.add(rs.getLong(2));
                    case "s" -> {
                        unchanged++;
                        located.add(rs.getLong(2));
                    }
                    default -> {
                        duplicates++;
                        located.add(rs.getLong(2));
                    }
                }
            }
        }
        if (seen != expected) {
            throw new SQLException("staged " + seen + " of " + expected + " files", "40001");
        }
        for (long id : changed) {
            located.add(id);
        }
        return new Outcome(toArray(added), toArray(updated), toArray(moved), toArray(new ArrayList<>(located)),
                unrefreshed, changed, duplicates, unchanged, List.of());
    }

    private static long[] toArray(List<Long> ids) {
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    /** Runs a statement that returns file ids, and returns them. */
    private static List<Long> ids(Connection c, String sql) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(sql); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    /** Runs a statement that returns file ids and paths, and returns them. */
    private static Map<Long, String> idsAndPaths(Connection c, String sql) throws SQLException {
        Map<Long, String> ids = new HashMap<>();
        try (PreparedStatement p = c.prepareStatement(sql); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                ids.put(rs.getLong(1), rs.getString(2));
            }
        }
        return ids;
    }

    /** {@link #REFRESH_FROM_PATH} for files and their new primary paths; the ids it refreshed. */
    private static List<Long> refresh(Connection c, Map<Long, String> paths) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(REFRESH_FROM_PATH)) {
            p.setArray(1, c.createArrayOf("bigint", paths.keySet().toArray()));
            p.setArray(2, c.createArrayOf("text", paths.values().toArray()));
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        }
    }

    /**
     * Gives files that took another primary path the path-derived values of a fresh analysis of
     * it ({@link #REFRESH_FROM_PATH}), in the caller's transaction on its connection, which gets
     * the staging table. For the files the import did not analyse at their new path (see
     * {@link ImportRun}): rows are such analyses, ids the file each row is for. One COPY and one
     * statement; the staged rows are deleted after.
     *
     * @return the ids refreshed (not those whose path or content changed meanwhile)
     */
    static List<Long> refreshFromPaths(Connection c, List<StagedRow> rows, long[] ids) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(StagedRow.STAGE_DDL);
        }
        try {
            c.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY import_stage (" + StagedRow.STAGE_COLUMNS + ") FROM STDIN", new RowsReader(rows));
        } catch (IOException e) {
            throw new SQLException("could not stream moved files to the database: " + e.getMessage(), "08006", e);
        }
        Map<Long, String> paths = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            paths.put(ids[i], rows.get(i).path());
        }
        List<Long> refreshed = refresh(c, paths);
        try (Statement s = c.createStatement()) {
            s.execute("DELETE FROM import_stage");
        }
        return refreshed;
    }

    private static void execute(Connection c, String sql, long batchId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            if (batchId >= 0) {
                p.setLong(1, batchId);
            }
            p.executeUpdate();
        }
    }

    /** Work that may throw SQLException. */
    private interface SqlWork {
        void run() throws SQLException;
    }

    /** Runs and, with debug logging on, adds the time to this writer's per-statement totals. */
    private void timed(String name, SqlWork work) throws SQLException {
        if (!LOG.isDebugEnabled()) {
            work.run();
            return;
        }
        long start = System.nanoTime();
        work.run();
        timings.merge(name, System.nanoTime() - start, Long::sum);
    }

    /** Diagnosis: {@code -Dmidi.catalog.import.explain=insertNew} prints the plan of the 5th batch's statement. */
    private void explain(Connection c, String statement) throws SQLException {
        String sql = switch (statement) {
            case "insertNew" -> INSERT_NEW;
            case "upsertLocations" -> UPSERT_LOCATIONS;
            case "resolveExisting" -> RESOLVE_EXISTING;
            default -> throw new IllegalArgumentException("no statement " + statement);
        };
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SAVEPOINT explain");
            try (PreparedStatement p = c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
                if (sql.contains("?")) {
                    p.setLong(1, batchId);
                }
                StringBuilder plan = new StringBuilder();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
                LOG.info("plan of {}:\n{}", statement, plan);
            }
            s.execute("ROLLBACK TO SAVEPOINT explain");
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            Connection c = dataSource.getConnection();
            try {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute(StagedRow.STAGE_DDL);
                    s.execute("SET application_name = '" + APPLICATION_NAME + "'");
                }
                c.setAutoCommit(false);
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            connection = c;
        }
        return connection;
    }

    private void rollbackQuietly() {
        if (connection != null) {
            try {
                connection.rollback();
            } catch (SQLException e) {
                closeQuietly();
            }
        }
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing a broken connection failed", e);
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        rollbackQuietly();
        if (connection != null) {
            try (Statement s = connection.createStatement()) {
                connection.setAutoCommit(true);
                s.execute("RESET application_name"); // the connection may go back to a pool
            } catch (SQLException e) {
                LOG.debug("resetting the application name failed", e);
            }
        }
        closeQuietly();
        if (LOG.isDebugEnabled()) {
            StringBuilder b = new StringBuilder();
            timings.forEach((k, v) -> b.append(String.format(java.util.Locale.ROOT, "%n  %-22s %8.3f s", k, v / 1e9)));
            LOG.debug("writer statement time:{}", b);
        }
    }

    /** Streams the rows as the staging table's COPY text, numbering them. */
    private static final class RowsReader extends Reader {
        private final List<StagedRow> rows;
        private final Set<ByteBuffer> hashes = new HashSet<>();
        private int next;
        private String current = "";
        private int pos;

        RowsReader(List<StagedRow> rows) {
            this.rows = rows;
        }

        @Override
        public int read(char[] buffer, int off, int len) {
            while (pos >= current.length()) {
                if (next >= rows.size()) {
                    return -1;
                }
                StagedRow row = rows.get(next);
                // the first row of each content in the batch may become the new file; the others
                // are its duplicates (computed here: a correlated min(seq) per row was quadratic)
                boolean first = hashes.add(ByteBuffer.wrap(row.hash()));
                current = row.stageLine(next, first);
                next++;
                pos = 0;
            }
            int n = Math.min(len, current.length() - pos);
            current.getChars(pos, pos + n, buffer, off);
            pos += n;
            return n;
        }

        @Override
        public void close() {}
    }
}
