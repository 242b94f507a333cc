package io.midicatalog.bench.profile;

import io.midicatalog.MidiCatalog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;

/**
 * {@code files} rows generated inside PostgreSQL (no MIDI files): a stand-in for generate + import
 * while the importer is not part of the build. Deterministic (a function of the row number):
 * 20 manufacturers, 400 collections, skewed words (a few very common, many rare), BPM 60-199,
 * all 25 key codes, 24 categories, metadata and category rows for every file, 60 tags on a third
 * of the files, favorites on 1 %. Throughput is rows/s of multi-row INSERT ... SELECT, which is
 * not what the importer does: the report labels it {@code synthetic-sql}.
 */
public final class SyntheticSqlLibrary implements LibrarySource {
    private static final int CHUNK = 5_000;
    private final int files;

    public SyntheticSqlLibrary(int files) {
        if (files < 1) {
            throw new IllegalArgumentException("files must be positive: " + files);
        }
        this.files = files;
    }

    /**
     * PostgreSQL 15+ flushes a backend's table statistics up to a second late; without this an
     * ANALYZE right after the fill is followed by the late insert counts and n_live_tup doubles.
     */
    private static void flushStatistics(Connection c) throws java.sql.SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_force_next_flush()");
            c.commit();
        } catch (java.sql.SQLException e) {
            c.rollback(); // PostgreSQL 14 has no such function and flushes at transaction end
        }
    }

    @Override
    public ImportThroughput fill(MidiCatalog catalog, Progress progress) throws Exception {
        long start = System.nanoTime();
        try (Connection c = catalog.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO tags (name) SELECT 'tag ' || g FROM generate_series(1, 60) g");
            }
            try (PreparedStatement insert = c.prepareStatement("""
                    WITH w(common, rare) AS (SELECT
                        ARRAY['drum','bass','loop','chord','melody','pad','lead','kick','snare','hat','arp','piano',
                              'groove','fill','intro','break','verse','chorus','outro','perc'],
                        ARRAY['acid','dusty','lofi','trap','house','techno','jazz','soul','funk','disco','dub',
                              'ambient','cinematic','garage','grime','drill','afro','latin','reggae','gospel'])
                    INSERT INTO files (filepath, filename, original_filename, file_size_bytes, content_hash, format,
                                       num_tracks, ticks_per_quarter, duration_seconds, duration_ticks, manufacturer,
                                       collection, folder_tags, bpm, key_code, time_sig_num, time_sig_den, category,
                                       note_count, percussive, gm_families, name_words, context_words, created_at)
                    SELECT '/library/maker' || (g % 20) || '/pack' || (g % 400) || '/' || n || '.mid',
                           n || '.mid', n || '.mid', 800 + (g * 37) % 60000, sha256(('profile' || g)::bytea),
                           1, 1 + g % 16, 480, 2 + (g % 240), (2 + (g % 240)) * 960,
                           'Maker ' || (g % 20), 'Pack ' || (g % 400), ARRAY['maker' || (g % 20), 'pack' || (g % 400)],
                           60 + (g * 7) % 140, g % 25, 4, 4, g % 24, (g * 13) % 3000, g % 24 BETWEEN 1 AND 6,
                           ((g * 2654435761) % 65536)::int, replace(n, '_', ' '),
                           'maker ' || (g % 20) || ' pack ' || (g % 400),
                           now() - (g * interval '1 second')
                      FROM (SELECT g, common[1 + (g * g) % 5 + (g % 3) * 5] || '_' || common[1 + (g / 7) % 20] || '_'
                                   || rare[1 + (g / 13) % 20] || '_' || g AS n
                              FROM generate_series(?::bigint, ?::bigint) g, w) x""");
                 PreparedStatement details = c.prepareStatement("""
                    INSERT INTO musical_metadata (file_id, bpm_source, key_source, unique_pitches, pitch_min, pitch_max)
                    SELECT id, 'content', 'content', 1 + id % 40, 24 + id % 24, 60 + id % 40 FROM files
                     WHERE id BETWEEN ? AND ?
                    """);
                 PreparedStatement categories = c.prepareStatement("""
                    INSERT INTO file_categories (file_id, secondary_category, source)
                    SELECT id, (id % 24)::smallint, 'name' FROM files WHERE id BETWEEN ? AND ?""");
                 PreparedStatement tags = c.prepareStatement("""
                    INSERT INTO file_tags (file_id, tag_id, source)
                    SELECT f.id, t.id, 'manual' FROM files f JOIN tags t ON t.id = (SELECT min(id) FROM tags) + f.id % 60
                     WHERE f.id BETWEEN ? AND ? AND f.id % 3 = 0""");
                 PreparedStatement favorites = c.prepareStatement("""
                    INSERT INTO favorites (file_id) SELECT id FROM files WHERE id BETWEEN ? AND ? AND id % 100 = 0""")) {
                long done = 0;
                while (done < files) {
                    long from = done + 1;
                    long to = Math.min(files, done + CHUNK);
                    insert.setLong(1, from);
                    insert.setLong(2, to);
                    insert.executeUpdate();
                    long firstId;
                    long lastId;
                    try (Statement s = c.createStatement();
                         var rs = s.executeQuery("SELECT coalesce(max(id), 0) FROM files")) {
                        rs.next();
                        lastId = rs.getLong(1);
                        firstId = lastId - (to - from);
                    }
                    for (PreparedStatement p : new PreparedStatement[] {details, categories, tags, favorites}) {
                        p.setLong(1, firstId);
                        p.setLong(2, lastId);
                        p.executeUpdate();
                    }
                    c.commit();
                    done = to;
                    flushStatistics(c);
                    progress.step("synthetic library: %,d / %,d files", done, files);
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new ImportThroughput("synthetic-sql", files, seconds, files / seconds,
                "rows generated by INSERT ... SELECT inside PostgreSQL in chunks of " + CHUNK
                        + " (files, metadata, categories, tags, favorites): the importer is not part of this build,"
                        + " so this is not the import pipeline's speed");
    }
}
