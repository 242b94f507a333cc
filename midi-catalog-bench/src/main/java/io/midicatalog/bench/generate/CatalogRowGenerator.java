package io.midicatalog.bench.generate;

import io.midicatalog.api.CatalogException;
import io.midicatalog.api.Category;
import io.midicatalog.api.GmFamily;
import io.midicatalog.bench.generate.LibraryModel.FileSpec;
import io.midicatalog.internal.CopyText;
import io.midicatalog.internal.SearchWords;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Writes N catalog rows straight into a migrated catalog database with COPY, without files, using
 * the distributions of {@link LibraryModel}: {@code files} (with {@code name_words} and
 * {@code context_words} as the importer computes them), {@code file_locations} (one per file plus
 * an alternate for about 15%), {@code musical_metadata}, {@code file_categories},
 * {@code file_instruments}, a few hundred tags on about 10% of files and favorites on about 2%.
 *
 * <p>Deterministic for a seed (the same seed gives the same rows; ids follow the database's
 * current maximum). Two generations with the same seed into one database collide on
 * {@code content_hash}: use another seed to add more. One thread builds the next chunk of COPY
 * text while the database loads the current one; each chunk commits in its own transaction.
 * Memory is bounded by the chunk size (a few MB of text) plus 8 bytes a file for path uniqueness.
 */
public final class CatalogRowGenerator {
    /** Files per COPY chunk (one transaction each). */
    public static final int CHUNK = 20_000;
    /** Tags created by the generator ({@code gen-...} names are not used: they look like real tags). */
    private static final String[] TAG_WORDS = {"dark", "uplifting", "club", "chill", "vocal chop", "sidechain",
        "festival", "radio", "intro", "outro", "build", "drop", "breakdown", "groove", "swing", "halftime",
        "triplet", "syncopated", "minimal", "maximal", "cinematic", "retro", "80s", "90s", "analog", "glitch",
        "ambient", "tense", "happy", "sad", "epic", "warm", "cold", "bouncy", "rolling", "punchy", "soft",
        "hard", "favorite kit", "to check", "used", "project a", "project b", "live set", "wedding", "remix"};
    private static final Instant EPOCH = Instant.parse("2023-01-01T00:00:00Z");
    private static final long SPAN_SECONDS = 3L * 365 * 24 * 3600;

    private CatalogRowGenerator() {}

    /** What was written. */
    public record Result(long files, long locations, long firstId, long lastId, double seconds) {}

    /** Writes {@code rows} files with seed {@code seed}; see the class comment. */
    public static Result generate(DataSource dataSource, long rows, long seed) {
        return generate(dataSource, rows, seed, done -> {});
    }

    /**
     * Writes {@code rows} files; {@code progress} gets the number of files committed so far after
     * each chunk.
     *
     * @throws IllegalArgumentException when rows is not positive
     * @throws CatalogException when the database refuses (not migrated, same seed twice, ...)
     */
    public static Result generate(DataSource dataSource, long rows, long seed, LongConsumer progress) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(progress, "progress");
        if (rows <= 0) {
            throw new IllegalArgumentException("rows must be positive: " + rows);
        }
        long started = System.nanoTime();
        LibraryModel model = new LibraryModel(seed);
        LibraryModel.Sequence sequence = model.sequence(rows + rows / 5);
        ExecutorService builder = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "row-generator");
            t.setDaemon(true);
            return t;
        });
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            long firstId = queryLong(connection, "SELECT coalesce(max(id), 0) + 1 FROM files");
            long batchId = queryLong(connection, "INSERT INTO import_batches (root, status, finished_at) VALUES ('generated:seed="
                    + seed + "', 'completed', now()) RETURNING id");
            long[] tagIds = ensureTags(connection);
            connection.commit();
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            String root = "/library/generated-" + seed + "/";
            long locations = 0;
            Future<Chunk> next = builder.submit(() -> build(model, sequence, root, 0, Math.min(CHUNK, rows), rows, firstId,
                    batchId, tagIds));
            for (long from = 0; from < rows; ) {
                Chunk chunk = next.get();
                long nextFrom = from + chunk.fileCount;
                if (nextFrom < rows) {
                    long start = nextFrom;
                    next = builder.submit(() -> build(model, sequence, root, start, Math.min(start + CHUNK, rows), rows,
                            firstId, batchId, tagIds));
                }
                chunk.copyInto(copy);
                connection.commit();
                locations += chunk.locationCount;
                from = nextFrom;
                progress.accept(from);
            }
            try (Statement s = connection.createStatement()) {
                s.execute("SELECT setval(pg_get_serial_sequence('files', 'id'), (SELECT max(id) FROM files))");
                s.execute("UPDATE import_batches SET seen = " + rows + ", imported = " + rows + " WHERE id = " + batchId);
            }
            connection.commit();
            try (Statement s = connection.createStatement()) {
                connection.setAutoCommit(true);
                // VACUUM too: it sets the visibility map, without which the index-only walks of
                // text searches (schema V5) would visit the heap for every index entry
                s.execute("VACUUM (ANALYZE)");
            }
            return new Result(rows, locations, firstId, firstId + rows - 1, (System.nanoTime() - started) / 1e9);
        } catch (SQLException | IOException e) {
            throw new CatalogException("could not generate " + rows + " catalog rows (seed " + seed + "): " + e.getMessage(), e);
        } catch (ExecutionException e) {
            throw new CatalogException("could not build catalog rows: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CatalogException("interrupted while generating catalog rows", e);
        } finally {
            builder.shutdownNow();
        }
    }

    private static long queryLong(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long[] ensureTags(Connection connection) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO tags (name) SELECT unnest(?::text[]) ON CONFLICT ((lower(name))) DO NOTHING");
             PreparedStatement select = connection.prepareStatement(
                "SELECT id FROM tags WHERE lower(name) = ANY(?::text[]) ORDER BY lower(name)")) {
            insert.setArray(1, connection.createArrayOf("text", TAG_WORDS));
            insert.executeUpdate();
            select.setArray(1, connection.createArrayOf("text", TAG_WORDS));
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids.stream().mapToLong(Long::longValue).toArray();
        }
    }

    /** COPY text of one chunk, per table. */
    private static final class Chunk {
        final StringBuilder files = new StringBuilder(1 << 20);
        final StringBuilder locationRows = new StringBuilder(1 << 18);
        final StringBuilder metadata = new StringBuilder(1 << 19);
        final StringBuilder categories = new StringBuilder(1 << 17);
        final StringBuilder instruments = new StringBuilder(1 << 17);
        final StringBuilder fileTags = new StringBuilder(1 << 15);
        final StringBuilder favorites = new StringBuilder(1 << 12);
        int fileCount;
        long locationCount;

        void copyInto(CopyManager copy) throws SQLException, IOException {
            copy.copyIn("""
                COPY files (id, filepath, filename, original_filename, file_size_bytes, file_mtime, content_hash,
                    fingerprint, format, num_tracks, ticks_per_quarter, smpte, duration_seconds, duration_ticks,
                    manufacturer, collection, folder_tags, bpm, key_code, time_sig_num, time_sig_den, category,
                    note_count, percussive, gm_families, name_words, context_words, name_sig, doc_sig, import_batch_id,
                    created_at, updated_at, analyzed_at) FROM STDIN""", new StringReader(files.toString()));
            copy.copyIn("""
                COPY file_locations (path, file_id, file_size_bytes, file_mtime, import_batch_id, first_seen_at,
                    last_seen_at) FROM STDIN""", new StringReader(locationRows.toString()));
            copy.copyIn("""
                COPY musical_metadata (file_id, bpm_source, bpm_confidence, initial_bpm, content_bpm,
                    tempo_change_count, key_source, key_confidence, detected_key_code, key_signature_code,
                    time_sig_source, unique_pitches, pitch_min, pitch_max, avg_velocity, note_density, polyphony_max,
                    polyphony_avg, is_monophonic, has_chords, has_melody, track_names) FROM STDIN""",
                    new StringReader(metadata.toString()));
            copy.copyIn("COPY file_categories (file_id, secondary_category, source, confidence) FROM STDIN",
                    new StringReader(categories.toString()));
            copy.copyIn("COPY file_instruments (file_id, channel, program, family, note_count) FROM STDIN",
                    new StringReader(instruments.toString()));
            if (fileTags.length() > 0) {
                copy.copyIn("COPY file_tags (file_id, tag_id, source) FROM STDIN", new StringReader(fileTags.toString()));
            }
            if (favorites.length() > 0) {
                copy.copyIn("COPY favorites (file_id, created_at) FROM STDIN", new StringReader(favorites.toString()));
            }
        }
    }

    private static Chunk build(LibraryModel model, LibraryModel.Sequence sequence, String root, long from, long to,
            long rows, long firstId, long batchId, long[] tagIds) {
        Chunk chunk = new Chunk();
        for (long i = from; i < to; i++) {
            FileSpec spec = sequence.next();
            long id = firstId + i;
            SplittableRandom r = model.randomOf(spec.index() ^ 0x5DEECE66DL);
            long createdSecond = EPOCH.getEpochSecond() + (long) (SPAN_SECONDS * (i + 0.5) / rows)
                    + r.nextLong(-43_200, 43_200);
            String created = Instant.ofEpochSecond(createdSecond).toString();
            String mtime = Instant.ofEpochSecond(createdSecond - r.nextLong(0, 400L * 24 * 3600)).toString();
            long size = 22 + 8L * spec.channelPrograms().length + 7L * spec.noteCount() + 40 + r.nextInt(60);
            String path = root + spec.relativePath();
            String context = SearchWords.of(spec.manufacturer() + " " + spec.collection() + " "
                    + String.join(" ", spec.folderTags()) + " " + spec.category().label());
            long fingerprint = LibraryModel.mix(model.seed() * 31 + (spec.nearDuplicateOfPrevious() ? spec.index() - 1 : spec.index()));
            StringBuilder f = chunk.files;
            f.append(id).append('\t');
            text(f, path).append('\t');
            text(f, spec.fileName()).append('\t');
            text(f, spec.fileName()).append('\t');
            f.append(size).append('\t').append(mtime).append('\t');
            hash(f, model.seed(), spec.index()).append('\t');
            f.append(fingerprint).append('\t');
            int tracks = spec.channelPrograms().length;
            f.append(tracks > 1 ? 1 : r.nextInt(2)).append('\t').append(tracks > 1 ? tracks + 1 : 1).append('\t');
            f.append(spec.ticksPerQuarter()).append("\tf\t");
            f.append(round3(spec.durationSeconds())).append('\t').append(spec.durationTicks()).append('\t');
            text(f, spec.manufacturer()).append('\t');
            text(f, spec.collection()).append('\t');
            textArray(f, spec.folderTags()).append('\t');
            f.append(spec.bpm()).append('\t').append(spec.key().code()).append('\t');
            f.append(spec.meter().numerator()).append('\t').append(spec.meter().denominator()).append('\t');
            f.append(spec.category().code()).append('\t').append(spec.noteCount()).append('\t');
            f.append(spec.percussive() ? 't' : 'f').append('\t').append(spec.gmFamilies()).append('\t');
            String nameWords = SearchWords.ofFileName(spec.fileName());
            text(f, nameWords).append('\t');
            text(f, context).append('\t');
            f.append(SearchWords.signature(nameWords)).append('\t')
                    .append(SearchWords.signature(nameWords) | SearchWords.signature(context)).append('\t');
            f.append(batchId).append('\t').append(created).append('\t').append(created).append('\t').append(created)
                    .append('\n');
            chunk.fileCount++;

            location(chunk.locationRows, path, id, size, mtime, batchId, created);
            chunk.locationCount++;
            if (spec.duplicated()) {
                String alternate = model.alternatePath(spec);
                if (sequence.claim(alternate)) {
                    location(chunk.locationRows, root + alternate, id, size, mtime, batchId, created);
                    chunk.locationCount++;
                }
            }

            metadata(chunk.metadata, spec, id, r);
            boolean fromName = r.nextInt(3) == 0;
            chunk.categories.append(id).append('\t')
                    .append(spec.category() == Category.FULL_MIX ? String.valueOf(Category.DRUMS.code()) : "\\N")
                    .append('\t').append(fromName ? "name" : "content").append('\t')
                    .append(fromName ? 0.9 : round3(0.6 + r.nextDouble() * 0.35)).append('\n');
            int[] programs = spec.channelPrograms();
            for (int k = 0; k < programs.length; k++) {
                int channel = programs[k] / 128;
                int program = programs[k] % 128;
                int family = channel == 9 ? GmFamily.DRUMS.ordinal() : GmFamily.ofProgram(program).ordinal();
                int notes = Math.max(1, spec.noteCount() / programs.length);
                chunk.instruments.append(id).append('\t').append(channel).append('\t').append(program).append('\t')
                        .append(family).append('\t').append(notes).append('\n');
            }
            if (r.nextInt(10) == 0) {
                int count = 1 + r.nextInt(3);
                long first = r.nextInt(tagIds.length);
                for (int k = 0; k < count; k++) {
                    chunk.fileTags.append(id).append('\t').append(tagIds[(int) ((first + k * 7) % tagIds.length)])
                            .append("\tmanual\n");
                }
            }
            if (r.nextInt(50) == 0) {
                chunk.favorites.append(id).append('\t').append(created).append('\n');
            }
        }
        return chunk;
    }

    private static void location(StringBuilder out, String path, long id, long size, String mtime, long batchId,
            String created) {
        text(out, path).append('\t').append(id).append('\t').append(size).append('\t').append(mtime).append('\t')
                .append(batchId).append('\t').append(created).append('\t').append(created).append('\n');
    }

    private static void metadata(StringBuilder m, FileSpec spec, long id, SplittableRandom r) {
        boolean drums = spec.kind() == LibraryModel.Kind.DRUM_LOOP;
        int low = drums ? 35 : spec.category() == Category.BASS ? 28 + r.nextInt(8) : 48 + r.nextInt(12);
        int high = drums ? 46 + r.nextInt(36) : low + 7 + r.nextInt(20);
        boolean chords = spec.kind() == LibraryModel.Kind.CHORDS || spec.kind() == LibraryModel.Kind.ARRANGEMENT;
        boolean mono = !chords && !drums;
        int polyMax = drums ? 0 : chords ? 3 + r.nextInt(4) : 1;
        m.append(id).append('\t').append("meta").append('\t').append(0.9).append('\t')
                .append(spec.bpm()).append('\t').append(spec.bpm()).append('\t').append(1).append('\t')
                .append(spec.key().isKnown() ? "content" : "default").append('\t')
                .append(spec.key().isKnown() ? round3(0.5 + r.nextDouble() * 0.5) : "\\N").append('\t')
                .append(spec.key().code()).append('\t').append(r.nextInt(4) == 0 ? "0" : "\\N").append('\t')
                .append("meta").append('\t')
                .append(Math.min(high - low + 1, 1 + r.nextInt(12))).append('\t').append(low).append('\t').append(high)
                .append('\t').append(round3(70 + r.nextDouble() * 40)).append('\t')
                .append(round3(spec.noteCount() / Math.max(0.1, spec.durationSeconds()))).append('\t')
                .append(polyMax).append('\t').append(drums ? 0 : round3(polyMax * 0.7)).append('\t')
                .append(mono ? 't' : 'f').append('\t').append(chords ? 't' : 'f').append('\t')
                .append(spec.kind() == LibraryModel.Kind.MELODY || spec.kind() == LibraryModel.Kind.ARRANGEMENT ? 't' : 'f')
                .append('\t');
        textArray(m, List.of(spec.category().label())).append('\n');
    }

    private static StringBuilder hash(StringBuilder out, long seed, long index) {
        // unique per (seed, index): the first two words are a bijection of them
        out.append("\\\\x");
        hex(out, LibraryModel.mix(seed ^ 0x6A09E667F3BCC909L));
        hex(out, index);
        long h = LibraryModel.mix(seed * 0x9E3779B97F4A7C15L + index);
        hex(out, h);
        hex(out, LibraryModel.mix(h));
        return out;
    }

    private static void hex(StringBuilder out, long value) {
        String digits = Long.toHexString(value);
        for (int i = digits.length(); i < 16; i++) {
            out.append('0');
        }
        out.append(digits);
    }

    private static String round3(double value) {
        return String.valueOf(Math.round(value * 1000) / 1000.0);
    }

    static StringBuilder text(StringBuilder out, String value) {
        return CopyText.text(out, value);
    }

    static StringBuilder textArray(StringBuilder out, List<String> values) {
        return CopyText.textArray(out, values);
    }
}
