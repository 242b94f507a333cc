package io.midicatalog.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.midicatalog.MidiCatalog;
import io.midicatalog.api.ImportOptions;
import io.midicatalog.api.ImportResult;
import io.midicatalog.api.SearchQuery;
import io.midicatalog.internal.CatalogChanges;
import io.midicatalog.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file that moves or is renamed keeps its id, tags and favorites, and gets what a fresh import
 * of its new path stores for everything the path decides (compared with a fresh import of the
 * same tree into another database).
 */
class MovedFilesTest {
    /** What a fresh import derives from a file's path (and its content), by content hash. */
    private static final String PATH_VALUES = """
        SELECT concat_ws(' | ', f.filepath, f.filename, f.manufacturer, f.collection, f.folder_tags::text, f.bpm,
                         f.key_code, f.time_sig_num, f.time_sig_den, f.category, f.name_words, f.context_words,
                         f.name_sig, f.doc_sig, f.name_tsv::text, f.doc_tsv::text, m.bpm_source, m.bpm_confidence,
                         m.key_source, m.key_confidence, m.time_sig_source, c.secondary_category, c.source,
                         c.confidence)
          FROM files f JOIN musical_metadata m ON m.file_id = f.id JOIN file_categories c ON c.file_id = f.id
         WHERE f.content_hash = (SELECT content_hash FROM files WHERE id = %d)""";

    @TempDir
    Path dir;

    private MidiCatalog catalog;
    private final CatalogChanges changes = new CatalogChanges();
    private final List<long[]> changed = new CopyOnWriteArrayList<>();
    private final AtomicInteger reads = new AtomicInteger();
    private DirectoryImporter importer;

    @BeforeEach
    void setUp() {
        catalog = TestDatabases.migratedCatalog(MovedFilesTest.class);
        changes.subscribe(new CatalogChanges.Listener() {
            @Override
            public void filesChanged(long[] ids) {
                changed.add(ids);
            }
        });
        Disk counting = new HookedDisk(file -> reads.incrementAndGet());
        importer = new DirectoryImporter(catalog.dataSource(), changes, TestMidi::analyze, counting);
    }

    @AfterEach
    void tearDown() {
        catalog.close();
    }

    // the files' tempo events say 120 (a DAW's default), so the BPM in a name wins (ValueResolver)
    @Test
    void reimport_movedToAnotherManufacturerAndRenamed_valuesOfTheNewPathKeepsIdTagsFavorites() throws Exception {
        Path root = dir.resolve("lib");
        Path from = TestMidi.write(root.resolve("Acme/OldPack/Bass/Deep Bass 90bpm.mid"), 120, 0, 33, 40, "moved");
        TestMidi.write(root.resolve("Acme/OldPack/Keys/Soft Keys.mid"), 100, 0, 4, 60, "stays");
        importer.importDirectory(root);
        long id = count("SELECT id FROM files WHERE filename = 'Deep Bass 90bpm.mid'");
        execute("INSERT INTO tags (name) VALUES ('mine')");
        execute("INSERT INTO file_tags (file_id, tag_id) SELECT " + id + ", id FROM tags");
        execute("INSERT INTO favorites (file_id) VALUES (" + id + ")");
        Path to = root.resolve("Zeta/NewPack/Pads/Warm Pad 140bpm.mid");
        Files.createDirectories(to.getParent());
        Files.move(from, to);
        changed.clear();

        ImportResult again = importer.importDirectory(root);

        assertThat(again.counts().moved()).isEqualTo(1);
        assertThat(count("SELECT id FROM files WHERE filepath = '" + to + "'")).isEqualTo(id);
        assertThat(text("SELECT concat_ws('|', manufacturer, collection, folder_tags::text, bpm, original_filename)"
                + " FROM files WHERE id = " + id)).isEqualTo("Zeta|NewPack|{Pads}|140|Deep Bass 90bpm.mid");
        assertThat(pathValues(id)).isEqualTo(freshImport(root, id));
        assertThat(count("SELECT count(*) FROM file_tags WHERE file_id = " + id)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM favorites WHERE file_id = " + id)).isEqualTo(1);
        assertThat(catalog.search().search(SearchQuery.builder().text("warm").build()).rows()).hasSize(1);
        assertThat(catalog.search().search(SearchQuery.builder().text("deep").build()).rows()).isEmpty();
        assertThat(catalog.search().search(SearchQuery.builder().manufacturer("Zeta").build()).rows()).hasSize(1);
        assertThat(changed.stream().flatMapToLong(Arrays::stream)).contains(id);
    }

    @Test
    void reimport_renamedInItsFolder_nameWordsAndHintsOfTheNewName() throws Exception {
        Path root = dir.resolve("lib");
        Path from = TestMidi.write(root.resolve("Acme/Pack/Loops/Bass Loop 90bpm.mid"), 120, 0, 33, 40, "renamed");
        importer.importDirectory(root);
        long id = count("SELECT id FROM files");
        Path to = root.resolve("Acme/Pack/Loops/Chords 6-8 Am 140bpm.mid");
        Files.move(from, to);

        importer.importDirectory(root);

        assertThat(text("SELECT concat_ws('|', filename, bpm, time_sig_num, time_sig_den) FROM files WHERE id = " + id))
                .isEqualTo("Chords 6-8 Am 140bpm.mid|140|6|8");
        assertThat(pathValues(id)).isEqualTo(freshImport(root, id));
    }

    @Test
    void reimport_oldPathFoundGoneAtTheEnd_movedFileReadAgainAndNothingElseIs() throws Exception {
        Path root = dir.resolve("lib");
        for (int i = 0; i < 6; i++) {
            TestMidi.write(root.resolve("Acme/Pack/File " + i + ".mid"), "file " + i);
        }
        Path from = TestMidi.write(root.resolve("Zz/Last/Kick 100bpm.mid"), 120, 9, 0, 36, "kick");
        importer.importDirectory(root, ImportOptions.builder().batchSize(2).build());
        long id = count("SELECT id FROM files WHERE filename = 'Kick 100bpm.mid'");
        // the new path is written by a batch; the old one is found gone only at the end (markMissing)
        Path to = root.resolve("Aa/First/Snare 95bpm.mid");
        Files.createDirectories(to.getParent());
        Files.move(from, to);
        Path edited = root.resolve("Acme/Pack/File 0.mid");
        TestMidi.write(edited, "file 0, edited");
        Files.setLastModifiedTime(edited, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        reads.set(0);

        ImportResult again = importer.importDirectory(root, ImportOptions.builder().batchSize(2).build());

        assertThat(again.counts().moved()).isEqualTo(1);
        assertThat(reads.get()).as("the edited file once, the moved one twice").isEqualTo(3);
        assertThat(text("SELECT concat_ws('|', manufacturer, collection, bpm, category) FROM files WHERE id = " + id))
                .isEqualTo("Aa|First|95|" + io.midicatalog.api.Category.SNARE.code());
        assertThat(pathValues(id)).isEqualTo(freshImport(root, id));
        assertCountsEqualARecount();

        reads.set(0);
        TestMidi.write(edited, "file 0, edited again");
        Files.setLastModifiedTime(edited, FileTime.fromMillis(System.currentTimeMillis() + 120_000));
        importer.importDirectory(root, ImportOptions.builder().batchSize(2).build());
        assertThat(reads.get()).as("nothing moved: only the changed file is read").isEqualTo(1);
    }

    @Test
    void reimport_missingFileFoundAtANewPath_revivedWithTheNewPathsValues() throws Exception {
        Path root = dir.resolve("lib");
        Path from = TestMidi.write(root.resolve("Acme/OldPack/Bass/Deep Bass 90bpm.mid"), 120, 0, 33, 40, "gone");
        TestMidi.write(root.resolve("Acme/OldPack/Other.mid"), "other");
        importer.importDirectory(root);
        long id = count("SELECT id FROM files WHERE filename = 'Deep Bass 90bpm.mid'");
        Path away = dir.resolve("away.mid");
        Files.move(from, away);
        importer.importDirectory(root);
        assertThat(text("SELECT missing_since IS NOT NULL FROM files WHERE id = " + id)).isEqualTo("t");
        Path to = root.resolve("Zeta/NewPack/Pads/Warm Pad 140bpm.mid");
        Files.createDirectories(to.getParent());
        Files.move(away, to);
        changed.clear();

        ImportResult back = importer.importDirectory(root);

        assertThat(back.counts().moved()).isEqualTo(1);
        assertThat(text("SELECT concat_ws('|', manufacturer, collection, bpm, missing_since IS NULL) FROM files"
                + " WHERE id = " + id)).isEqualTo("Zeta|NewPack|140|t");
        assertThat(pathValues(id)).isEqualTo(freshImport(root, id));
        assertCountsEqualARecount();
        assertThat(changed.stream().flatMapToLong(Arrays::stream)).contains(id);
    }

    @Test
    void reimport_primaryCopyGone_fileTakesItsOtherCopysValues() throws Exception {
        Path root = dir.resolve("lib");
        Path primary = TestMidi.write(root.resolve("Acme/Pack/Bass/Deep Bass 90bpm.mid"), 120, 0, 33, 40, "two copies");
        importer.importDirectory(root);
        long id = count("SELECT id FROM files");
        Path copy = root.resolve("Zeta/Other/Pads/Warm Pad 140bpm.mid");
        Files.createDirectories(copy.getParent());
        Files.copy(primary, copy);
        importer.importDirectory(root); // the copy: an alternate location of the same file
        assertThat(text("SELECT filepath FROM files")).isEqualTo(primary.toString());
        Files.delete(primary);
        reads.set(0);

        importer.importDirectory(root);

        assertThat(reads.get()).as("the unchanged copy is read once, to analyse it at its path").isEqualTo(1);
        assertThat(text("SELECT concat_ws('|', id, filepath, manufacturer, bpm) FROM files"))
                .isEqualTo(id + "|" + copy + "|Zeta|140");
        assertThat(pathValues(id)).isEqualTo(freshImport(root, id));
        assertCountsEqualARecount();
    }

    @Test
    void reimport_primaryPathOverwritten_fileTakesItsOtherCopysValuesInTheBatchOrNot() throws Exception {
        Path root = dir.resolve("lib");
        Path a = TestMidi.write(root.resolve("Pack/Kick 100bpm.mid"), 120, 9, 0, 36, "content A");
        Path b = TestMidi.write(root.resolve("Pack/b.mid"), "content B");
        Path c = TestMidi.write(root.resolve("Pack/c.mid"), 120, 9, 0, 36, "content C");
        importer.importDirectory(root);
        long fileA = count("SELECT id FROM files WHERE filename = 'Kick 100bpm.mid'");
        long fileC = count("SELECT id FROM files WHERE filename = 'c.mid'");
        Path copyOfA = root.resolve("Zeta/Old/Snare 95bpm.mid"); // seen by an earlier import
        Files.createDirectories(copyOfA.getParent());
        Files.copy(a, copyOfA);
        importer.importDirectory(root);
        Path copyOfC = root.resolve("Pack/Hats/Hat 125bpm.mid"); // new, in the same batch as c.mid
        Files.createDirectories(copyOfC.getParent());
        Files.copy(c, copyOfC);
        for (Path overwritten : List.of(a, c)) {
            Files.copy(b, overwritten, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(overwritten, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        }

        importer.importDirectory(root);

        assertThat(text("SELECT concat_ws('|', filepath, manufacturer, bpm) FROM files WHERE id = " + fileA))
                .isEqualTo(copyOfA + "|Zeta|95");
        assertThat(text("SELECT concat_ws('|', filepath, collection, bpm) FROM files WHERE id = " + fileC))
                .isEqualTo(copyOfC + "|Hats|125");
        assertThat(pathValues(fileA)).isEqualTo(freshImport(root, fileA));
        assertThat(pathValues(fileC)).isEqualTo(freshImport(root, fileC));
        assertCountsEqualARecount();
    }

    /**
     * The race behind the test above, forced: a path overwritten with known content (batch X) and
     * the new copy of its old content (batch Y) written by two writers at once. Y finds the file
     * present and adds the copy as another location; X, not seeing that location yet (Y has not
     * committed), strands the file as missing. The end phase must give it the copy's path.
     */
    @Test
    void reimport_overwrittenPathAndNewCopyOfItsContent_racingWriters_fileTakesTheCopy() throws Exception {
        Path root = dir.resolve("lib");
        Path b = TestMidi.write(root.resolve("Pack/b.mid"), "content B");
        Path c = root.resolve("Pack/c.mid");
        // contents B and C must go to different writers (ImportRun.add: by content hash)
        for (int n = 0; writerOf(b) == writerOf(TestMidi.write(c, 120, 9, 0, 36, "content C" + n)); n++) {
            assertThat(n).as("a content for the other writer").isLessThan(100);
        }
        importer.importDirectory(root);
        long fileC = count("SELECT id FROM files WHERE filename = 'c.mid'");
        Path copyOfC = root.resolve("Pack/Hats/Hat 125bpm.mid");
        Files.createDirectories(copyOfC.getParent());
        Files.copy(c, copyOfC);
        Files.copy(b, c, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(c, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        java.util.concurrent.CountDownLatch xCommitted = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean ordered = new java.util.concurrent.atomic.AtomicBoolean();
        BatchWriter.commitHook = (phase, rows) -> {
            boolean x = rows.stream().anyMatch(r -> r.path().equals(c.toString()));
            boolean y = rows.stream().anyMatch(r -> r.path().equals(copyOfC.toString()));
            try {
                if (y && !x && phase.equals("commit")) {
                    ordered.set(xCommitted.await(20, java.util.concurrent.TimeUnit.SECONDS));
                } else if (x && !y && phase.equals("committed")) {
                    xCommitted.countDown();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        ImportResult result;
        try {
            result = importer.importDirectory(root, ImportOptions.builder().batchSize(1).writers(2).build());
        } finally {
            BatchWriter.commitHook = null;
        }

        assertThat(ordered).as("Y committed after X, X having run while Y was open").isTrue();
        assertThat(text("SELECT concat_ws('|', filepath, collection, bpm, coalesce(missing_since::text, 'present'))"
                + " FROM files WHERE id = " + fileC)).isEqualTo(copyOfC + "|Hats|125|present");
        assertThat(pathValues(fileC)).isEqualTo(freshImport(root, fileC));
        assertThat(result.counts().moved()).isEqualTo(1);
        assertThat(result.counts().duplicates()).isEqualTo(1); // c.mid, now a copy of b
        assertCountsEqualARecount();
    }

    @Test
    void reimport_missingFileBackAtItsOtherLocationOnly_takesThatPath() throws Exception {
        Path root = dir.resolve("lib");
        Path a = TestMidi.write(root.resolve("Pack/a.mid"), 120, 0, 0, 60, "both");
        Files.copy(a, root.resolve("Pack/b.mid"), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        importer.importDirectory(root);
        long id = count("SELECT id FROM files");
        Path primary = Path.of(text("SELECT filepath FROM files WHERE id = " + id));
        Path other = primary.getFileName().toString().equals("a.mid") ? root.resolve("Pack/b.mid") : a;
        Path away = dir.resolve("away");
        Files.createDirectories(away);
        Files.move(primary, away.resolve("1.mid"));
        Files.move(other, away.resolve("2.mid"));
        importer.importDirectory(root);
        assertThat(text("SELECT (missing_since IS NOT NULL)::text FROM files WHERE id = " + id)).isEqualTo("true");
        // the other copy comes back unchanged (same size and mtime): its location is revived
        Files.move(away.resolve("2.mid"), other);

        ImportResult result = importer.importDirectory(root);

        assertThat(result.counts().unchanged()).isEqualTo(1);
        assertThat(text("SELECT concat_ws('|', filepath, coalesce(missing_since::text, 'present')) FROM files"
                + " WHERE id = " + id)).isEqualTo(other + "|present");
        assertThat(pathValues(id)).isEqualTo(freshImport(root, id));
        assertCountsEqualARecount();
    }

    /** The writer ImportRun.add hands a file's content to, of two. */
    private static int writerOf(Path file) throws Exception {
        byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        return Math.floorMod(Arrays.hashCode(hash), 2);
    }

    @Test
    void reimport_movedFileWithManualBpmAndKey_keepsThemAndTakesTheRest() throws Exception {
        Path root = dir.resolve("lib");
        Path from = TestMidi.write(root.resolve("Acme/OldPack/Bass/Deep Bass 90bpm.mid"), 90, 0, 33, 40, "by hand");
        importer.importDirectory(root);
        long id = count("SELECT id FROM files");
        execute("UPDATE musical_metadata SET bpm_source = 'manual', bpm_confidence = 1, key_source = 'manual',"
                + " key_confidence = 1 WHERE file_id = " + id);
        execute("UPDATE files SET bpm = 77, key_code = " + io.midicatalog.api.MusicalKey.F_SHARP_MINOR.code()
                + " WHERE id = " + id);
        Path to = root.resolve("Zeta/NewPack/Pads/Warm Pad 140bpm Am.mid");
        Files.createDirectories(to.getParent());
        Files.move(from, to);

        importer.importDirectory(root);

        assertThat(text("SELECT concat_ws('|', f.manufacturer, f.bpm, f.key_code, m.bpm_source, m.key_source)"
                + " FROM files f JOIN musical_metadata m ON m.file_id = f.id WHERE f.id = " + id))
                .isEqualTo("Zeta|77|" + io.midicatalog.api.MusicalKey.F_SHARP_MINOR.code() + "|manual|manual");
        assertThat(text("SELECT name_words FROM files WHERE id = " + id)).contains("warm");
    }

    @Test
    void reimport_contentChangedInPlaceToAnotherCategory_itsWordsFollow() throws Exception {
        Path root = dir.resolve("lib");
        Path loop = TestMidi.write(root.resolve("Pack/loop 1.mid"), 120, 0, 33, 36, "a bass line");
        TestMidi.write(root.resolve("Pack/other.mid"), "another file");
        importer.importDirectory(root);
        long id = count("SELECT id FROM files WHERE filename = 'loop 1.mid'");
        String before = text("SELECT context_words FROM files WHERE id = " + id);
        TestMidi.write(loop, 120, 9, 0, 36, "now a drum loop");
        Files.setLastModifiedTime(loop, FileTime.fromMillis(System.currentTimeMillis() + 60_000));

        importer.importDirectory(root);

        assertThat(count("SELECT id FROM files WHERE filepath = '" + loop + "'")).isEqualTo(id);
        assertThat(text("SELECT context_words FROM files WHERE id = " + id)).isNotEqualTo(before);
        assertThat(pathValues(id)).isEqualTo(freshImport(root, id));
        assertCountsEqualARecount();
    }

    @Test
    void reimport_contentChangedSeenFromAnotherRoot_rowKeepsWordsThatMatchItsColumns() throws Exception {
        Path root = dir.resolve("lib");
        Path loop = TestMidi.write(root.resolve("Acme/Pack/Bass/loop 1.mid"), 120, 0, 33, 36, "a bass line");
        TestMidi.write(root.resolve("Acme/Pack/Bass/other.mid"), "another file");
        importer.importDirectory(root);
        long id = count("SELECT id FROM files WHERE filename = 'loop 1.mid'");
        String before = text("SELECT concat_ws('|', manufacturer, collection, folder_tags::text, context_words) FROM files"
                + " WHERE id = " + id);
        TestMidi.write(loop, 120, 9, 0, 36, "now a drum loop");
        Files.setLastModifiedTime(loop, FileTime.fromMillis(System.currentTimeMillis() + 60_000));

        importer.importDirectory(root.resolve("Acme")); // from a deeper root: other folder facts

        assertThat(text("SELECT concat_ws('|', manufacturer, collection, folder_tags::text, context_words) FROM files"
                + " WHERE id = " + id)).isEqualTo(before);
        assertCountsEqualARecount();
    }

    private String pathValues(long id) throws SQLException {
        return text(PATH_VALUES.formatted(id));
    }

    /** The same values after a fresh import of the tree into another database. */
    private String freshImport(Path root, long id) throws SQLException {
        String hash = text("SELECT encode(content_hash, 'hex') FROM files WHERE id = " + id);
        try (MidiCatalog fresh = TestDatabases.migratedCatalog(MovedFilesTest.class)) {
            new DirectoryImporter(fresh.dataSource(), new CatalogChanges(), TestMidi::analyze).importDirectory(root);
            long freshId = TestSql.count(fresh.dataSource(),
                    "SELECT id FROM files WHERE content_hash = decode('" + hash + "', 'hex')");
            return TestSql.text(fresh.dataSource(), PATH_VALUES.formatted(freshId));
        }
    }

    /**
     * The count side tables the triggers kept through the moves equal a recount of the files as
     * they are now (rolled back after). Not a fresh import: when one content sits at several paths,
     * which of them a fresh import makes the primary one depends on its threads.
     */
    private void assertCountsEqualARecount() throws SQLException {
        try (Connection c = catalog.dataSource().getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            List<String> kept = new ArrayList<>();
            for (String counts : TestSql.COUNT_TABLES) {
                kept.add(first(s, counts));
            }
            s.execute("SELECT search_counts_rebuild(), browse_counts_rebuild()");
            for (int i = 0; i < kept.size(); i++) {
                assertThat(kept.get(i)).isNotEmpty().isEqualTo(first(s, TestSql.COUNT_TABLES.get(i)));
            }
            c.rollback();
        }
    }

    private static String first(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private long count(String sql) throws SQLException {
        return TestSql.count(catalog.dataSource(), sql);
    }

    private String text(String sql) throws SQLException {
        return TestSql.text(catalog.dataSource(), sql);
    }

    private void execute(String sql) throws SQLException {
        TestSql.execute(catalog.dataSource(), sql);
    }
}
