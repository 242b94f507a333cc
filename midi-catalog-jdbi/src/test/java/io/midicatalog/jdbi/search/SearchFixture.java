package io.midicatalog.jdbi.search;

import io.midicatalog.api.Category;
import io.midicatalog.api.MusicalKey;
import io.midicatalog.internal.SearchWords;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A small generated catalog for search tests: varied names (camelCase, underscores, numbers),
 * manufacturers, collections, folders, BPM (some missing), keys, meters, categories, tags,
 * favorites, and created_at values with deliberate ties (so the id tie-break is exercised).
 * name_words / context_words are filled with {@link SearchWords} exactly like the importer does.
 */
final class SearchFixture {
    static final String[] WORDS = {"deep", "house", "bass", "drum", "loop", "kick", "chill", "dark", "pad",
        "lead", "trap", "soul", "funk", "jazz", "piano", "synth", "vox", "arp", "groove", "melody"};
    static final String[] MANUFACTURERS = {"Loopmasters", "Native Instruments", "Splice", "Cymatics", "Vengeance"};
    static final String[] COLLECTIONS = {"Deep House Vol 1", "Trap Essentials", "Jazz Keys", "Dark Techno", "Soul Chords"};
    static final String[] FOLDERS = {"Drums", "Bass Lines", "Chords", "Melodies", "FX"};
    static final String[] TAGS = {"Dark", "Live", "Ambient", "Favorite Loop"};

    /** One generated file, as inserted. */
    record FileRow(long id, String filepath, String filename, @Nullable String manufacturer,
            @Nullable String collection, String nameWords, String contextWords, @Nullable Float bpm, int keyCode,
            @Nullable Integer tsNum, @Nullable Integer tsDen, int category, int noteCount, boolean percussive,
            int gmFamilies, @Nullable Double duration, @Nullable Integer format, @Nullable Integer numTracks,
            Instant createdAt, List<String> tags, boolean favorite) {}

    private SearchFixture() {}

    static List<FileRow> generate(int count, long seed) {
        Random r = new Random(seed);
        List<FileRow> rows = new ArrayList<>(count);
        Instant base = Instant.parse("2024-01-01T00:00:00Z");
        for (int i = 1; i <= count; i++) {
            StringBuilder name = new StringBuilder();
            int parts = 1 + r.nextInt(3);
            for (int p = 0; p < parts; p++) {
                String w = WORDS[skewed(r, WORDS.length)];
                switch (r.nextInt(3)) {
                    case 0 -> name.append(Character.toUpperCase(w.charAt(0))).append(w.substring(1)); // camelCase
                    case 1 -> name.append(p > 0 ? "_" : "").append(w);
                    default -> name.append(p > 0 ? "-" : "").append(w.toUpperCase(Locale.ROOT));
                }
            }
            if (r.nextInt(3) == 0) {
                name.append('_').append(60 + r.nextInt(120));
            }
            if (r.nextInt(20) == 0) {
                name.append("_Caf\u00e9");
            }
            String filename = name + (r.nextBoolean() ? ".mid" : ".MID");
            String manufacturer = r.nextInt(10) == 0 ? null : MANUFACTURERS[r.nextInt(MANUFACTURERS.length)];
            String collection = r.nextInt(10) == 0 ? null : COLLECTIONS[r.nextInt(COLLECTIONS.length)];
            String folder = FOLDERS[r.nextInt(FOLDERS.length)];
            int category = r.nextInt(Category.values().length);
            String nameWords = SearchWords.ofFileName(filename);
            String contextWords = String.join(" ", nonEmpty(SearchWords.of(manufacturer), SearchWords.of(collection),
                    SearchWords.of(folder), SearchWords.of(Category.fromCode(category).label())));
            Float bpm = r.nextInt(10) == 0 ? null : (float) (60 + r.nextInt(120) + (r.nextInt(4) == 0 ? 0.5 : 0));
            int key = r.nextInt(MusicalKey.values().length);
            Integer tsNum = r.nextInt(8) == 0 ? null : new int[] {4, 3, 6, 7}[r.nextInt(4)];
            Integer tsDen = tsNum == null ? null : (tsNum == 6 || tsNum == 7 ? 8 : 4);
            Double duration = r.nextInt(10) == 0 ? null : Math.round(r.nextDouble() * 30000) / 100.0;
            Integer format = r.nextInt(10) == 0 ? null : r.nextInt(3);
            Integer tracks = format == null ? null : 1 + r.nextInt(4);
            // ties on purpose: ~8 files share each second
            Instant created = base.plus(r.nextInt(Math.max(1, count / 8)), ChronoUnit.SECONDS)
                    .plus(r.nextInt(3) == 0 ? 0 : r.nextInt(1000) * 1000L, ChronoUnit.MICROS);
            List<String> tags = new ArrayList<>();
            for (String t : TAGS) {
                if (r.nextInt(4) == 0) {
                    tags.add(t);
                }
            }
            rows.add(new FileRow(i, "/lib/" + (manufacturer == null ? "misc" : manufacturer) + "/" + folder + "/" + filename,
                    filename, manufacturer, collection, nameWords, contextWords, bpm, key, tsNum, tsDen, category,
                    r.nextInt(500), r.nextInt(5) == 0, r.nextInt(1 << 17), duration, format, tracks, created, tags,
                    r.nextInt(7) == 0));
        }
        return rows;
    }

    private static int skewed(Random r, int n) {
        // a few words are common, most are rarer (like real libraries)
        return Math.min(n - 1, (int) (Math.abs(r.nextGaussian()) * n / 2.5));
    }

    private static List<String> nonEmpty(String... values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            if (!v.isEmpty()) {
                out.add(v);
            }
        }
        return out;
    }

    static void insert(DataSource ds, List<FileRow> rows) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO files (id, filepath, filename, original_filename, file_size_bytes, content_hash,
                        manufacturer, collection, name_words, context_words, bpm, key_code, time_sig_num, time_sig_den,
                        category, note_count, percussive, gm_families, duration_seconds, format, num_tracks, created_at,
                        name_sig, doc_sig)
                    VALUES (?, ?, ?, ?, 1000, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                for (FileRow f : rows) {
                    int i = 1;
                    ps.setLong(i++, f.id());
                    ps.setString(i++, f.filepath());
                    ps.setString(i++, f.filename());
                    ps.setString(i++, f.filename());
                    ps.setBytes(i++, sha.digest(ByteBuffer.allocate(8).putLong(f.id()).array()));
                    ps.setString(i++, f.manufacturer());
                    ps.setString(i++, f.collection());
                    ps.setString(i++, f.nameWords());
                    ps.setString(i++, f.contextWords());
                    if (f.bpm() == null) {
                        ps.setNull(i++, Types.REAL);
                    } else {
                        ps.setFloat(i++, f.bpm());
                    }
                    ps.setShort(i++, (short) f.keyCode());
                    ps.setObject(i++, f.tsNum() == null ? null : f.tsNum().shortValue(), Types.SMALLINT);
                    ps.setObject(i++, f.tsDen() == null ? null : f.tsDen().shortValue(), Types.SMALLINT);
                    ps.setShort(i++, (short) f.category());
                    ps.setInt(i++, f.noteCount());
                    ps.setBoolean(i++, f.percussive());
                    ps.setInt(i++, f.gmFamilies());
                    ps.setObject(i++, f.duration(), Types.DOUBLE);
                    ps.setObject(i++, f.format() == null ? null : f.format().shortValue(), Types.SMALLINT);
                    ps.setObject(i++, f.numTracks(), Types.INTEGER);
                    ps.setObject(i++, OffsetDateTime.ofInstant(f.createdAt(), ZoneOffset.UTC));
                    // as the importer writes them, so the oracle catches a signature that loses a match
                    ps.setLong(i++, SearchWords.signature(f.nameWords()));
                    ps.setLong(i++, SearchWords.signature(f.nameWords() + " " + f.contextWords()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (Statement s = c.createStatement()) {
                for (int t = 0; t < TAGS.length; t++) {
                    s.execute("INSERT INTO tags (name) VALUES ('" + TAGS[t] + "')");
                }
            }
            try (PreparedStatement tag = c.prepareStatement(
                    "INSERT INTO file_tags (file_id, tag_id) SELECT ?, id FROM tags WHERE name = ?");
                 PreparedStatement fav = c.prepareStatement("INSERT INTO favorites (file_id) VALUES (?)")) {
                for (FileRow f : rows) {
                    for (String t : f.tags()) {
                        tag.setLong(1, f.id());
                        tag.setString(2, t);
                        tag.addBatch();
                    }
                    if (f.favorite()) {
                        fav.setLong(1, f.id());
                        fav.addBatch();
                    }
                }
                tag.executeBatch();
                fav.executeBatch();
            }
            try (Statement s = c.createStatement()) {
                s.execute("SELECT setval(pg_get_serial_sequence('files', 'id'), (SELECT max(id) FROM files))");
                s.execute("ANALYZE");
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
