package io.midicatalog.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.midicatalog.MidiCatalog;
import io.midicatalog.api.ImportOptions;
import io.midicatalog.api.ImportResult;
import io.midicatalog.api.SearchQuery;
import io.midicatalog.internal.CatalogChanges;
import io.midicatalog.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
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
        Disk counting = new Disk() {
            @Override
            public void walk(Path start, Set<FileVisitOption> options, FileVisitor<Path> visitor) throws IOException {
                Disk.REAL.walk(start, options, visitor);
            }

            @Override
            public byte[] read(Path file) throws IOException {
                reads.incrementAndGet();
                return Disk.REAL.read(file);
            }
        };
        importer = new DirectoryImporter(catalog.dataSource(), changes, TestMidi::analyze, counting);
    }

    @AfterEach
    void tearDown() {
        catalog.close();
    }

    // the files' tempo events say 120 (a DAW's default), so the BPM in a name wins (ValueResolver)
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
        assertCountsEqualAFreshImport(root);
        assertThat(changed.stream().flatMapToLong(Arrays::stream)).contains(id);
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

    /** The search and browse count tables equal those of a fresh import of the same tree. */
    private void assertCountsEqualAFreshImport(Path root) throws SQLException {
        try (MidiCatalog fresh = TestDatabases.migratedCatalog(MovedFilesTest.class)) {
            new DirectoryImporter(fresh.dataSource(), new CatalogChanges(), TestMidi::analyze).importDirectory(root);
            for (String counts : TestSql.COUNT_TABLES) {
                assertThat(text(counts)).isNotEmpty().isEqualTo(TestSql.text(fresh.dataSource(), counts));
            }
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
