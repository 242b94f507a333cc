package io.midicatalog.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.midicatalog.MidiCatalog;
import io.midicatalog.api.CatalogException;
import io.midicatalog.api.ImportCancellation;
import io.midicatalog.api.ImportListener;
import io.midicatalog.api.ImportOptions;
import io.midicatalog.api.ImportProgress;
import io.midicatalog.api.ImportResult;
import io.midicatalog.internal.CatalogChanges;
import io.midicatalog.testing.TestDatabases;
import io.midicatalog.midi.MidiAnalysis;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.FileVisitor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImporterTest {
    @TempDir
    Path dir;

    private MidiCatalog catalog;
    private final CatalogChanges changes = new CatalogChanges();
    private final List<long[]> added = new CopyOnWriteArrayList<>();
    private final List<long[]> changed = new CopyOnWriteArrayList<>();
    private DirectoryImporter importer;

    @BeforeEach
    void setUp() {
        catalog = TestDatabases.migratedCatalog(ImporterTest.class);
        changes.subscribe(new CatalogChanges.Listener() {
            @Override
            public void filesAdded(long[] ids) {
                added.add(ids);
            }

            @Override
            public void filesChanged(long[] ids) {
                changed.add(ids);
            }
        });
        importer = new DirectoryImporter(catalog.dataSource(), changes, TestMidi::analyze);
    }

    @AfterEach
    void tearDown() {
        catalog.close();
    }

    private Path smallTree() throws IOException {
        Path root = dir.resolve("lib");
        TestMidi.write(root.resolve("Maker/Pack/Bass/Deep_Bass_01_124_Am.mid"), 124, 0, 33, 40, "bass");
        TestMidi.write(root.resolve("Maker/Pack/Drums/Beat Drum 01.MID"), 128, 9, 0, 36, "drums");
        TestMidi.write(root.resolve("Maker/Pack/Keys/Soft Keys 90bpm.RMI"), 90, 0, 4, 60, "keys");
        Files.createDirectories(root.resolve("Other/Pack2/Bass"));
        Files.copy(root.resolve("Maker/Pack/Bass/Deep_Bass_01_124_Am.mid"), root.resolve("Other/Pack2/Bass/copy.midi"));
        Files.writeString(root.resolve("Maker/Pack/garbage.mid"), "<html><body>404</body></html>");
        Files.write(root.resolve("Maker/empty.kar"), new byte[0]);
        Files.writeString(root.resolve("Maker/readme.txt"), "not midi");
        return root;
    }

    @Test
    void importDirectory_newTree_accountsForEveryFile() throws Exception {
        Path root = smallTree();
        ImportResult result = importer.importDirectory(root, ImportOptions.builder().batchSize(2).build());

        ImportProgress c = result.counts();
        assertThat(result.status()).isEqualTo(ImportResult.Status.COMPLETED);
        assertThat(c.seen()).isEqualTo(6);
        assertThat(c.imported()).isEqualTo(3);
        assertThat(c.duplicates()).isEqualTo(1);
        assertThat(c.failed()).isEqualTo(2);
        assertThat(c.imported() + c.duplicates() + c.failed()).isEqualTo(c.seen());
        assertThat(result.failures()).extracting(ImportResult.ImportFailure::reason).allMatch(r -> r.contains("MIDI"));
        assertThat(count("SELECT count(*) FROM files")).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM file_locations")).isEqualTo(4);
        assertThat(count("SELECT count(*) FROM musical_metadata")).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM import_failures WHERE batch_id = " + result.batchId())).isEqualTo(2);
        assertThat(text("SELECT status || ' ' || seen || ' ' || imported FROM import_batches WHERE id = " + result.batchId()))
                .isEqualTo("completed 6 3");

        // the copy of the bass is an alternate location of the same file (either path may be primary)
        assertThat(count("SELECT count(DISTINCT file_id) FROM file_locations WHERE path LIKE '%Deep_Bass_01_124_Am.mid'"
                + " OR path LIKE '%copy.midi'")).isEqualTo(1);
        String keys = "WHERE f.filename = 'Soft Keys 90bpm.RMI'";
        assertThat(text("SELECT concat_ws('|', manufacturer, collection, folder_tags::text, bpm, key_code, category, "
                + "name_words, context_words) FROM files f " + keys))
                .isEqualTo("Maker|Pack|{Keys}|90|0|13|soft keys 90 bpm|maker pack keys keys");
        assertThat(text("SELECT concat_ws('|', bpm_source, bpm_confidence, key_source, c.source) FROM musical_metadata m "
                + "JOIN files f ON f.id = m.file_id JOIN file_categories c ON c.file_id = f.id " + keys))
                .isEqualTo("meta|1|content|name");
        assertThat(text("SELECT concat_ws('|', category, percussive, manufacturer) FROM files WHERE filename = 'Beat Drum 01.MID'"))
                .isEqualTo("1|t|Maker");
        // the search walks' word signatures (schema V5) are written with the words
        assertThat(text("SELECT name_sig || '|' || doc_sig FROM files f " + keys)).isEqualTo(
                io.midicatalog.internal.SearchWords.signature("soft keys 90 bpm") + "|"
                + io.midicatalog.internal.SearchWords.signature("soft keys 90 bpm maker pack keys keys"));
        assertThat(added.stream().mapToInt(ids -> ids.length).sum()).isEqualTo(3);
    }

    @Test
    void importDirectory_macOsAppleDoubleFiles_areNotMidiFiles() throws Exception {
        Path root = dir.resolve("unzipped");
        Path kick = TestMidi.write(root.resolve("Pack/Kick 01.mid"), "kick");
        // what macOS leaves beside a copied file on an exFAT drive, and in every zip it makes
        byte[] appleDouble = {0x00, 0x05, 0x16, 0x07, 0x00, 0x02, 0x00, 0x00, 'M', 'a', 'c', ' ', 'O', 'S', ' ', 'X'};
        Files.write(root.resolve("Pack/._Kick 01.mid"), appleDouble);
        Files.createDirectories(root.resolve("__MACOSX/Pack"));
        Files.write(root.resolve("__MACOSX/Pack/._Kick 01.mid"), appleDouble);

        ImportResult result = importer.importDirectory(root);

        assertThat(result.counts().seen()).isEqualTo(1);
        assertThat(result.counts().imported()).isEqualTo(1);
        assertThat(result.counts().failed()).isZero();
        assertThat(text("SELECT filepath FROM files")).isEqualTo(kick.toString());
    }

    @Test
    void reimport_unchangedTree_skipsEverythingWithoutReading() throws Exception {
        Path root = smallTree();
        importer.importDirectory(root);

        ImportResult second = importer.importDirectory(root);

        // the two bad files are skipped too while they are unchanged (they would fail again)
        assertThat(second.counts().unchanged()).isEqualTo(6);
        assertThat(second.counts().seen()).isEqualTo(6);
        assertThat(second.counts().bytes()).isZero();
        assertThat(second.counts().imported() + second.counts().duplicates() + second.counts().missing()
                + second.counts().failed()).isZero();
        assertThat(count("SELECT count(*) FROM files")).isEqualTo(3);

        Files.writeString(root.resolve("Maker/Pack/garbage.mid"), "<html>changed</html>");
        Files.setLastModifiedTime(root.resolve("Maker/Pack/garbage.mid"), FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        ImportResult third = importer.importDirectory(root);
        assertThat(third.counts().failed()).isEqualTo(1);
        assertThat(third.counts().unchanged()).isEqualTo(5);
    }

    @Test
    void reimport_changedContent_reanalysedInPlaceWithSameId() throws Exception {
        Path root = smallTree();
        importer.importDirectory(root);
        Path keys = root.resolve("Maker/Pack/Keys/Soft Keys 90bpm.RMI");
        long id = count("SELECT id FROM files WHERE filename = 'Soft Keys 90bpm.RMI'");
        String hash = text("SELECT encode(content_hash, 'hex') FROM files WHERE id = " + id);

        TestMidi.write(keys, 95, 0, 4, 62, "keys, edited");
        Files.setLastModifiedTime(keys, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        ImportResult again = importer.importDirectory(root);

        assertThat(again.counts().updated()).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM files")).isEqualTo(3);
        assertThat(text("SELECT encode(content_hash, 'hex') FROM files WHERE id = " + id)).isNotEqualTo(hash);
        assertThat(text("SELECT content_bpm FROM musical_metadata WHERE file_id = " + id)).isEqualTo("95");
        assertThat(changed).anySatisfy(ids -> assertThat(ids).contains(id));
    }

    @Test
    void reimport_filesAnOlderAnalysisWrote_readAgainInPlaceKeepingWhatUsersSet() throws Exception {
        Path root = smallTree();
        importer.importDirectory(root);
        long keys = count("SELECT id FROM files WHERE filename = 'Soft Keys 90bpm.RMI'");
        long bass = count("SELECT file_id FROM file_locations WHERE path LIKE '%Deep_Bass_01_124_Am.mid'");
        String fresh = text(facts(keys));
        execute("INSERT INTO tags (name) VALUES ('mine')");
        execute("INSERT INTO file_tags (file_id, tag_id) SELECT " + keys + ", id FROM tags");
        execute("INSERT INTO favorites (file_id) VALUES (" + keys + ")");
        // what an older analysis stored: other values, no instruments; the bass's key was set by hand
        execute("UPDATE files SET bpm = 77, key_code = 5, note_count = 1, name_words = 'old' WHERE id = " + keys);
        execute("UPDATE musical_metadata SET content_bpm = 77, pitch_max = 1 WHERE file_id = " + keys);
        execute("DELETE FROM file_instruments WHERE file_id = " + keys);
        execute("UPDATE files SET key_code = 7 WHERE id = " + bass);
        execute("INSERT INTO files_outdated (file_id) VALUES (" + keys + "), (" + bass + ")");
        execute("UPDATE musical_metadata SET key_source = 'manual' WHERE file_id = " + bass);
        // an older reader's "not a MIDI file"
        execute("UPDATE import_failures SET analysis_version = 1 WHERE path LIKE '%garbage.mid'");

        ImportResult again = importer.importDirectory(root);

        // read again: both files' primary paths and the old failure; the bass's other copy, the
        // drums and the empty file were written by this analysis and are skipped unread
        assertThat(again.counts().updated()).isEqualTo(2);
        assertThat(again.counts().failed()).isEqualTo(1);
        assertThat(again.counts().unchanged()).isEqualTo(3);
        assertThat(again.counts().imported() + again.counts().duplicates() + again.counts().missing()).isZero();
        assertThat(count("SELECT count(*) FROM files")).isEqualTo(3);
        assertThat(text(facts(keys))).isEqualTo(fresh);
        assertThat(count("SELECT count(*) FROM file_tags WHERE file_id = " + keys)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM favorites WHERE file_id = " + keys)).isEqualTo(1);
        assertThat(count("SELECT key_code FROM files WHERE id = " + bass)).isEqualTo(7);
        assertThat(count("SELECT count(*) FROM files_outdated")).isZero();
        assertThat(changed).anySatisfy(ids -> assertThat(ids).contains(keys, bass));

        ImportResult third = importer.importDirectory(root);
        assertThat(third.counts().unchanged()).isEqualTo(6);
        assertThat(third.counts().bytes()).isZero();
    }

    @Test
    void reimport_fileReadAgainInPlace_keepsATimeSignatureSetByHand() throws Exception {
        Path root = smallTree();
        importer.importDirectory(root);
        long keys = count("SELECT id FROM files WHERE filename = 'Soft Keys 90bpm.RMI'");
        execute("UPDATE files SET time_sig_num = 7, time_sig_den = 8 WHERE id = " + keys);
        execute("UPDATE musical_metadata SET time_sig_source = 'manual' WHERE file_id = " + keys);
        execute("INSERT INTO files_outdated (file_id) VALUES (" + keys + ")");

        assertThat(importer.importDirectory(root).counts().updated()).isEqualTo(1);

        // read again after an upgrade: the 7/8 a person set stays, as a hand-set BPM or key does
        assertThat(text("SELECT concat_ws('|', f.time_sig_num, f.time_sig_den, m.time_sig_source) FROM files f"
                + " JOIN musical_metadata m ON m.file_id = f.id WHERE f.id = " + keys)).isEqualTo("7|8|manual");

        // and so when the file's content changed in place
        TestMidi.write(root.resolve("Maker/Pack/Keys/Soft Keys 90bpm.RMI"), 92, 0, 4, 62, "keys");
        assertThat(importer.importDirectory(root).counts().updated()).isEqualTo(1);
        assertThat(text("SELECT concat_ws('|', f.time_sig_num, f.time_sig_den, m.time_sig_source) FROM files f"
                + " JOIN musical_metadata m ON m.file_id = f.id WHERE f.id = " + keys)).isEqualTo("7|8|manual");
    }

    /** What an import stores for a file, in one line, from files, its metadata and instruments. */
    private static String facts(long id) {
        return "SELECT concat_ws('|', f.bpm, f.key_code, f.note_count, f.name_words, f.doc_tsv, m.content_bpm,"
                + " m.pitch_max, m.key_source,"
                + " (SELECT string_agg(i.channel || ':' || i.program, ',' ORDER BY i.channel, i.program)"
                + "    FROM file_instruments i WHERE i.file_id = f.id))"
                + " FROM files f JOIN musical_metadata m ON m.file_id = f.id WHERE f.id = " + id;
    }

    @Test
    void upgradeToV15_listsTheFilesWhoseNamesTheNewRulesReadOtherwise_andTheNextImportFixesThem() throws Exception {
        Path root = dir.resolve("songs");
        TestMidi.write(root.resolve("I Am Free.mid"), 100, 0, 0, 64, "song");
        TestMidi.write(root.resolve("Haydn - Symphony No 104.mid"), 120, 0, 48, 55, "strings");
        TestMidi.write(root.resolve("Deep_Bass_07_124_Am.mid"), 124, 0, 33, 45, "bass");
        TestMidi.write(root.resolve("Loop_07_C.mid"), 100, 0, 4, 62, "loop");
        TestMidi.write(root.resolve("Beat Drum 01.mid"), 128, 9, 0, 36, "drums");
        Files.writeString(root.resolve("notes.mid"), "not a MIDI file");
        importer.importDirectory(root);
        long free = count("SELECT id FROM files WHERE filename = 'I Am Free.mid'");
        String fresh = text(facts(free));
        // the catalog as the rules before V15 left it: "I Am Free" in A minor, no list
        execute("UPDATE files SET key_code = " + io.midicatalog.api.MusicalKey.A_MINOR.code() + " WHERE id = " + free);
        execute("UPDATE musical_metadata SET key_source = 'name' WHERE file_id = " + free);
        execute("DROP TABLE files_outdated");
        execute("ALTER TABLE import_failures DROP COLUMN analysis_version");
        execute("DELETE FROM " + io.midicatalog.internal.SchemaMigrator.HISTORY_TABLE + " WHERE version = '15'");

        assertThat(catalog.migrate()).isEqualTo(1);

        assertThat(text("SELECT string_agg(f.filename, '|' ORDER BY f.filename) FROM files_outdated o"
                + " JOIN files f ON f.id = o.file_id"))
                .isEqualTo("Deep_Bass_07_124_Am.mid|Haydn - Symphony No 104.mid|I Am Free.mid|Loop_07_C.mid");
        ImportResult again = importer.importDirectory(root);
        assertThat(again.counts().updated()).isEqualTo(4);
        assertThat(again.counts().unchanged()).isEqualTo(1);
        // the failure an older reader recorded was read again
        assertThat(again.counts().failed()).isEqualTo(1);
        assertThat(text(facts(free))).isEqualTo(fresh);
        assertThat(count("SELECT count(*) FROM files_outdated")).isZero();
    }

    @Test
    void upgradeToV15_listsAWorkNumberAfterACharacterThatIsNoLetterToJava() throws Exception {
        // PathIntelligence reads "no" before 104 as a work number (no tempo) since the character
        // before it is no letter to Java; PostgreSQL's [:alpha:] may call it one (Roman numeral
        // one, U+2160, under C.UTF-8), so V15 must not need a [:alpha:] boundary to list the file
        Path root = dir.resolve("numbers");
        TestMidi.write(root.resolve("\u2160no 104.mid"), 100, 0, 0, 64, "one");
        TestMidi.write(root.resolve("Loop 104.mid"), 104, 0, 0, 60, "loop");
        importer.importDirectory(root);
        assertThat(PathIntelligence.bpmOf("\u2160no 104")).isNull();
        execute("DROP TABLE files_outdated");
        execute("ALTER TABLE import_failures DROP COLUMN analysis_version");
        execute("DELETE FROM " + io.midicatalog.internal.SchemaMigrator.HISTORY_TABLE + " WHERE version = '15'");

        assertThat(catalog.migrate()).isEqualTo(1);

        assertThat(text("SELECT string_agg(f.filename, '|' ORDER BY f.filename) FROM files_outdated o"
                + " JOIN files f ON f.id = o.file_id")).isEqualTo("\u2160no 104.mid");
    }

    @Test
    void analysisVersion_isTheSchemasDefault() throws Exception {
        String version = Integer.toString(ImportRun.ANALYSIS_VERSION);
        assertThat(text("SELECT column_default FROM information_schema.columns"
                + " WHERE column_name = 'analysis_version' AND table_name = 'import_failures'")).isEqualTo(version);
    }

    @Test
    void reimport_movedFile_keepsIdTagsAndFavorites() throws Exception {
        Path root = smallTree();
        importer.importDirectory(root);
        long id = count("SELECT id FROM files WHERE filename = 'Soft Keys 90bpm.RMI'");
        execute("INSERT INTO tags (name) VALUES ('mine')");
        execute("INSERT INTO file_tags (file_id, tag_id) SELECT " + id + ", id FROM tags");
        execute("INSERT INTO favorites (file_id) VALUES (" + id + ")");

        Path target = root.resolve("Maker/Moved/Keys/Soft Keys 90bpm.RMI");
        Files.createDirectories(target.getParent());
        Files.move(root.resolve("Maker/Pack/Keys/Soft Keys 90bpm.RMI"), target);
        ImportResult again = importer.importDirectory(root);

        assertThat(again.counts().moved()).isEqualTo(1);
        assertThat(again.counts().duplicates()).isZero();
        assertThat(again.counts().missing()).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM files")).isEqualTo(3);
        assertThat(text("SELECT filepath FROM files WHERE id = " + id)).isEqualTo(target.toString());
        assertThat(text("SELECT coalesce(missing_since::text, 'present') FROM files WHERE id = " + id)).isEqualTo("present");
        assertThat(count("SELECT count(*) FROM file_tags WHERE file_id = " + id)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM favorites WHERE file_id = " + id)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM file_locations WHERE file_id = " + id + " AND missing_since IS NOT NULL"))
                .isEqualTo(1);
    }

    /** Deletes an imported file and returns its mtime, for putting it back later. */
    private static FileTime deleteKeepingMtime(Path file) throws IOException {
        FileTime mtime = Files.getLastModifiedTime(file);
        Files.delete(file);
        return mtime;
    }

    @Test
    void reimport_deletedFile_markedMissingThenRevived() throws Exception {
        Path root = smallTree();
        importer.importDirectory(root);
        Path drums = root.resolve("Maker/Pack/Drums/Beat Drum 01.MID");
        byte[] content = Files.readAllBytes(drums);
        FileTime mtime = deleteKeepingMtime(drums);

        ImportResult gone = importer.importDirectory(root);

        assertThat(gone.counts().missing()).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM files WHERE missing_since IS NOT NULL")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM files")).isEqualTo(3);
        // searches still find it (it may come back), flagged so an app can grey it out
        assertThat(catalog.search().search(io.midicatalog.api.SearchQuery.builder().build()).rows())
                .extracting(io.midicatalog.api.SearchHit::filename, io.midicatalog.api.SearchHit::missing)
                .contains(org.assertj.core.groups.Tuple.tuple("Beat Drum 01.MID", true),
                        org.assertj.core.groups.Tuple.tuple("Soft Keys 90bpm.RMI", false));
        long drumsId = count("SELECT id FROM files WHERE missing_since IS NOT NULL");
        assertThat(catalog.tracks().load(drumsId).orElseThrow().missing()).isTrue();
        assertThat(catalog.details().get(drumsId).orElseThrow().track().missing()).isTrue();

        Files.write(drums, content);
        Files.setLastModifiedTime(drums, mtime);
        ImportResult back = importer.importDirectory(root);

        assertThat(back.counts().unchanged()).isEqualTo(6); // 4 good files and 2 known-bad ones
        assertThat(count("SELECT count(*) FROM files WHERE missing_since IS NOT NULL")).isZero();
        assertThat(count("SELECT count(*) FROM file_locations WHERE missing_since IS NOT NULL")).isZero();
        assertThat(catalog.search().search(io.midicatalog.api.SearchQuery.builder().text("beat").build()).rows())
                .extracting(io.midicatalog.api.SearchHit::missing).containsExactly(false);
        assertThat(catalog.tracks().load(drumsId).orElseThrow().missing()).isFalse();
    }

    @Test
    void reimport_swappedNames_eachFileKeepsAPathHoldingItsOwnContent() throws Exception {
        Path root = dir.resolve("swap");
        Path one = TestMidi.write(root.resolve("Pack/one.mid"), "content one");
        Path two = TestMidi.write(root.resolve("Pack/two.mid"), "content two, longer"); // sizes differ: both re-read
        importer.importDirectory(root);
        long first = count("SELECT id FROM files WHERE filename = 'one.mid'");
        long second = count("SELECT id FROM files WHERE filename = 'two.mid'");
        Path swap = root.resolve("Pack/swap.tmp");
        Files.move(one, swap);
        Files.move(two, one);
        Files.move(swap, two);
        changed.clear();

        ImportResult again = importer.importDirectory(root);

        assertThat(again.counts().failed()).isZero();
        assertThat(text("SELECT filepath || '|' || filename FROM files WHERE id = " + first)).isEqualTo(two + "|two.mid");
        assertThat(text("SELECT filepath || '|' || filename FROM files WHERE id = " + second)).isEqualTo(one + "|one.mid");
        assertThat(count("SELECT count(*) FROM files f JOIN file_locations l ON l.path = f.filepath WHERE l.file_id <> f.id"))
                .isZero();
        assertThat(count("SELECT count(*) FROM files WHERE missing_since IS NOT NULL")).isZero();
        assertThat(changed.stream().flatMapToLong(java.util.Arrays::stream)).contains(first, second);
    }

    @Test
    void reimport_deletedFileBackWithAnotherMtime_isNoLongerMissing() throws Exception {
        // a file restored from a backup or copied back keeps its bytes but not its mtime: read
        // again, it resolves to its own file ('s'), which must lose its missing mark too
        Path root = smallTree();
        importer.importDirectory(root);
        Path drums = root.resolve("Maker/Pack/Drums/Beat Drum 01.MID");
        byte[] content = Files.readAllBytes(drums);
        FileTime mtime = deleteKeepingMtime(drums);
        importer.importDirectory(root);
        long drumsId = count("SELECT id FROM files WHERE missing_since IS NOT NULL");

        Files.write(drums, content);
        Files.setLastModifiedTime(drums, FileTime.fromMillis(mtime.toMillis() + 60_000));
        ImportResult back = importer.importDirectory(root);

        assertThat(back.counts().missing()).isZero();
        assertThat(count("SELECT count(*) FROM file_locations WHERE missing_since IS NOT NULL")).isZero();
        assertThat(count("SELECT count(*) FROM files WHERE missing_since IS NOT NULL")).isZero();
        assertThat(catalog.tracks().load(drumsId).orElseThrow().missing()).isFalse();
        assertThat(changed.stream().flatMapToLong(java.util.Arrays::stream).anyMatch(id -> id == drumsId)).isTrue();
    }

    @Test
    void reimport_missingFileBackEditedAtItsOtherPath_takesThatPath() throws Exception {
        // both copies gone, then one back with new bytes: the file is rewritten in place ('u') and
        // present again, so its primary path must be the copy that is back, not the one still gone
        Path root = dir.resolve("edited");
        Path first = TestMidi.write(root.resolve("a/Loop One.mid"), "same");
        Path second = root.resolve("b/Loop One.mid");
        Files.createDirectories(second.getParent());
        Files.copy(first, second);
        importer.importDirectory(root);
        long id = count("SELECT id FROM files");
        Path other = text("SELECT filepath FROM files").equals(first.toString()) ? second : first;
        Files.delete(first);
        Files.delete(second);
        importer.importDirectory(root);
        assertThat(count("SELECT count(*) FROM files WHERE missing_since IS NOT NULL")).isEqualTo(1);

        TestMidi.write(other, 90, 0, 0, 62, "edited");
        ImportResult back = importer.importDirectory(root);

        assertThat(back.counts().updated()).isEqualTo(1);
        assertThat(count("SELECT id FROM files")).isEqualTo(id);
        assertThat(catalog.tracks().load(id).orElseThrow()).satisfies(t -> {
            assertThat(t.missing()).isFalse();
            assertThat(t.path()).isEqualTo(other.toString());
        });
    }

    @Test
    void reimport_primaryPathOverwrittenWithKnownContent_fileMovesToItsOtherCopyOrGoesMissing() throws Exception {
        Path root = dir.resolve("ow");
        Path a = TestMidi.write(root.resolve("Pack/a.mid"), "content A");
        Path b = TestMidi.write(root.resolve("Pack/b.mid"), "content B");
        Path c = TestMidi.write(root.resolve("Pack/c.mid"), "content C, no copy");
        importer.importDirectory(root);
        Path copyOfA = root.resolve("Pack/zz/a3.mid");
        Files.createDirectories(copyOfA.getParent());
        Files.copy(a, copyOfA);
        importer.importDirectory(root); // a.mid stays A's primary path, a3.mid its copy
        long fileA = count("SELECT id FROM files WHERE filename = 'a.mid'");
        long fileB = count("SELECT id FROM files WHERE filename = 'b.mid'");
        long fileC = count("SELECT id FROM files WHERE filename = 'c.mid'");
        for (Path overwritten : List.of(a, c)) { // both now hold B's content
            Files.copy(b, overwritten, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(overwritten, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        }
        changed.clear();

        ImportResult again = importer.importDirectory(root);

        assertThat(again.counts().failed()).isZero();
        assertThat(count("SELECT file_id FROM file_locations WHERE path = '" + a + "'")).isEqualTo(fileB);
        assertThat(text("SELECT filepath || '|' || filename || '|' || (missing_since IS NULL) FROM files WHERE id = " + fileA))
                .isEqualTo(copyOfA + "|a3.mid|true");
        // C's content is nowhere now: missing, at the path where it was last seen
        assertThat(text("SELECT (missing_since IS NOT NULL) FROM files WHERE id = " + fileC)).isEqualTo("t");
        assertThat(text("SELECT filepath FROM files WHERE id = " + fileB)).isEqualTo(b.toString());
        assertThat(changed.stream().flatMapToLong(java.util.Arrays::stream)).contains(fileA, fileC);
    }

    @Test
    void importDirectory_pathTooLongForTheIndex_failsThatFileAloneAndTheRestCompletes() throws Exception {
        Path root = dir.resolve("long");
        for (int i = 0; i < 5; i++) {
            TestMidi.write(root.resolve("M/P/good" + i + ".mid"), "good " + i);
        }
        // random letters: PostgreSQL cannot compress them, so the longest path that fits is exact
        int limit = BatchWriter.MAX_PATH_BYTES;
        Path longest = TestMidi.write(pathOfLength(root.resolve("a"), limit, "fits.mid"), "longest that fits");
        Path tooLong = TestMidi.write(pathOfLength(root.resolve("b"), limit + 1, "over.mid"), "one byte too long");

        ImportResult first = importer.importDirectory(root, ImportOptions.builder().batchSize(100).build());

        assertThat(first.status()).isEqualTo(ImportResult.Status.COMPLETED);
        assertThat(first.counts().imported()).isEqualTo(6);
        assertThat(first.counts().failed()).isEqualTo(1);
        assertThat(first.failures()).singleElement().satisfies(f -> {
            assertThat(f.path()).isEqualTo(tooLong.toString());
            assertThat(f.reason()).contains("path too long").contains(String.valueOf(limit));
        });
        assertThat(text("SELECT filepath FROM files WHERE filename = 'fits.mid'")).isEqualTo(longest.toString());
        // the failure keeps its whole path, so the next import skips the file while it is unchanged
        assertThat(text("SELECT path FROM import_failures WHERE batch_id = " + first.batchId())).isEqualTo(tooLong.toString());

        Files.delete(root.resolve("M/P/good0.mid"));
        ImportResult second = importer.importDirectory(root);

        assertThat(second.status()).isEqualTo(ImportResult.Status.COMPLETED);
        assertThat(second.counts().unchanged()).isEqualTo(6);
        assertThat(second.counts().failed()).isZero();
        assertThat(second.counts().missing()).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM files WHERE missing_since IS NOT NULL")).isEqualTo(1);
        // a row the database still rejects for its length (SQLSTATE class 54) is isolated too
        assertThat(BatchWriter.oneRowCanCause("54000")).isTrue();
    }

    /** A path of exactly {@code length} bytes under {@code under}: folders of random letters, then the name. */
    private static Path pathOfLength(Path under, int length, String fileName) {
        java.util.Random random = new java.util.Random(length);
        Path path = under;
        int left = length - under.toString().length() - 1 - fileName.length();
        while (left > 0) {
            int folder = left - 1 <= 200 ? left - 1 : Math.min(200, left - 1 - 20);
            StringBuilder name = new StringBuilder();
            for (int i = 0; i < folder; i++) {
                name.append((char) ('a' + random.nextInt(26)));
            }
            path = path.resolve(name.toString());
            left -= folder + 1;
        }
        Path file = path.resolve(fileName);
        assertThat(file.toString()).hasSize(length);
        return file;
    }

    private Path tree(int files) {
        return TestMidi.tree(dir.resolve("many"), files);
    }

    @Test
    void importDirectory_concurrentImportsOfOneTree_noDuplicatesNoDeadlock() throws Exception {
        Path root = tree(400);
        ImportOptions options = ImportOptions.builder().batchSize(25).writers(2).threads(2).build();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<ImportResult>> runs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                runs.add(pool.submit(() -> importer.importDirectory(root, options)));
            }
            for (Future<ImportResult> run : runs) {
                ImportProgress c = run.get().counts();
                assertThat(c.seen()).isEqualTo(400);
                assertThat(c.imported() + c.duplicates() + c.unchanged() + c.failed()).isEqualTo(400);
                assertThat(c.failed()).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(count("SELECT count(*) FROM files")).isEqualTo(400);
        assertThat(count("SELECT count(*) FROM file_locations")).isEqualTo(400);
        assertThat(count("SELECT count(*) FROM musical_metadata")).isEqualTo(400);
        assertThat(count("SELECT sum(imported) FROM import_batches")).isEqualTo(400);
    }

    @Test
    void importDirectory_connectionsKilledMidImport_noHalfBatchAndRerunCompletes() throws Exception {
        Path root = tree(1200);
        ImportOptions options = ImportOptions.builder().batchSize(20).writers(2).threads(2).build();
        AtomicBoolean killing = new AtomicBoolean(true);
        List<Integer> killed = new CopyOnWriteArrayList<>();
        Thread killer = new Thread(() -> {
            try (Connection c = catalog.dataSource().getConnection(); Statement s = c.createStatement()) {
                while (killing.get() && killed.size() < 6) {
                    Thread.sleep(120);
                    try (ResultSet rs = s.executeQuery("""
                            SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity
                             WHERE datname = current_database() AND pid <> pg_backend_pid()
                               AND application_name = '""" + BatchWriter.APPLICATION_NAME + "'")) {
                        rs.next();
                        if (rs.getInt(1) > 0) {
                            killed.add(rs.getInt(1));
                        }
                    }
                }
            } catch (SQLException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        killer.start();
        try {
            importer.importDirectory(root, options);
        } catch (CatalogException e) {
            // a batch can fail for good when its retries are killed too; the rerun must complete it
        } finally {
            killing.set(false);
            killer.join();
        }
        assertThat(killed).isNotEmpty();
        // no half-written batch: every file row has all of its rows
        assertThat(count("SELECT count(*) FROM files f WHERE NOT EXISTS (SELECT 1 FROM musical_metadata m WHERE m.file_id = f.id)"
                + " OR NOT EXISTS (SELECT 1 FROM file_locations l WHERE l.file_id = f.id)"
                + " OR NOT EXISTS (SELECT 1 FROM file_categories c WHERE c.file_id = f.id)")).isZero();

        ImportResult rerun = importer.importDirectory(root, options);

        assertThat(rerun.counts().failed()).isZero();
        assertThat(count("SELECT count(*) FROM files")).isEqualTo(1200);
        assertThat(count("SELECT count(*) FROM file_locations")).isEqualTo(1200);
        assertThat(count("SELECT count(*) FROM file_instruments")).isEqualTo(1200);
    }

    @Test
    void importDirectory_cancelled_stopsAtBatchBoundaryAndRerunCompletes() throws Exception {
        Path root = tree(600);
        ImportCancellation cancel = new ImportCancellation();
        ImportOptions options = ImportOptions.builder().batchSize(20).writers(1).cancellation(cancel).build();
        ImportResult result = importer.importDirectory(root, options, cancelOnFirstImport(cancel));

        assertThat(result.status()).isEqualTo(ImportResult.Status.CANCELLED);
        assertThat(result.counts().imported()).isLessThan(600);
        assertThat(result.counts().imported() % 20).isZero();
        assertThat(count("SELECT count(*) FROM files")).isEqualTo(result.counts().imported());
        assertThat(text("SELECT status FROM import_batches WHERE id = " + result.batchId())).isEqualTo("cancelled");

        ImportResult rerun = importer.importDirectory(root);
        assertThat(rerun.counts().imported() + rerun.counts().unchanged()).isEqualTo(600);
        assertThat(count("SELECT count(*) FROM files")).isEqualTo(600);
    }

    @Test
    void importDirectory_symlinkLoop_followedSafely() throws Exception {
        Path root = dir.resolve("loop");
        TestMidi.write(root.resolve("a/one.mid"), "one");
        TestMidi.write(root.resolve("a/b/two.mid"), "two");
        Files.createSymbolicLink(root.resolve("a/b/back"), root.resolve("a"));

        ImportResult result = importer.importDirectory(root, ImportOptions.builder().followSymlinks(true).build());

        assertThat(result.counts().seen()).isEqualTo(2);
        assertThat(result.counts().imported()).isEqualTo(2);
    }

    @Test
    void importDirectory_badArguments_failFast() {
        assertThatThrownBy(() -> importer.importDirectory(dir.resolve("nope")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope");
        assertThatThrownBy(() -> ImportOptions.builder().batchSize(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("batchSize must be 1-10000: 0");
        assertThatThrownBy(() -> ImportOptions.builder().manufacturerDepth(2).collectionDepth(1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("collectionDepth");
        assertThatThrownBy(() -> ImportOptions.builder().maxFileSize(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxFileSize must be 1-2147483639: 0");
    }

    /**
     * The real disk, except that the named folders cannot be listed and the named files cannot be
     * read, as {@code chmod 000} does to a process without CAP_DAC_OVERRIDE: the JDK's walker then
     * calls visitFileFailed for the folder instead of entering it, and reads throw.
     */
    static final class FaultyDisk implements Disk {
        final Set<Path> unlistable = ConcurrentHashMap.newKeySet();
        final Set<Path> unreadable = ConcurrentHashMap.newKeySet();

        @Override
        public void walk(Path start, Set<FileVisitOption> options, FileVisitor<Path> visitor) throws IOException {
            Disk.REAL.walk(start, options, new FileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path folder, BasicFileAttributes attrs) throws IOException {
                    if (unlistable.contains(folder)) {
                        FileVisitResult r = visitor.visitFileFailed(folder, new AccessDeniedException(folder.toString()));
                        return r == FileVisitResult.CONTINUE ? FileVisitResult.SKIP_SUBTREE : r;
                    }
                    return visitor.preVisitDirectory(folder, attrs);
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    return visitor.visitFile(file, attrs);
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    return visitor.visitFileFailed(file, e);
                }

                @Override
                public FileVisitResult postVisitDirectory(Path folder, IOException e) throws IOException {
                    return visitor.postVisitDirectory(folder, e);
                }
            });
        }

        @Override
        public byte[] read(Path file) throws IOException {
            if (unreadable.contains(file)) {
                throw new AccessDeniedException(file.toString());
            }
            return Disk.REAL.read(file);
        }
    }

    private Path packs() throws IOException {
        Path root = dir.resolve("packs");
        TestMidi.write(root.resolve("M/Pack1/one.mid"), "one");
        TestMidi.write(root.resolve("M/Pack2/two.mid"), "two");
        TestMidi.write(root.resolve("M/Pack2/Sub/three.mid"), "three");
        return root;
    }

    @Test
    void reimport_folderCannotBeListed_itsFilesStayPresent() throws Exception {
        Path root = packs();
        importer.importDirectory(root);
        FaultyDisk disk = new FaultyDisk();
        disk.unlistable.add(root.resolve("M/Pack2"));

        ImportResult again = new DirectoryImporter(catalog.dataSource(), changes, TestMidi::analyze, disk)
                .importDirectory(root);

        assertThat(again.counts().missing()).isZero();
        assertThat(again.counts().failed()).isEqualTo(1);
        assertThat(again.failures()).singleElement().satisfies(f -> {
            assertThat(f.path()).isEqualTo(root.resolve("M/Pack2").toString());
            assertThat(f.reason()).startsWith("unreadable folder: ").contains("AccessDeniedException");
        });
        assertThat(count("SELECT count(*) FROM files WHERE missing_since IS NULL")).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM file_locations WHERE missing_since IS NOT NULL")).isZero();

        // listed again and one file really gone: only that one goes missing
        Files.delete(root.resolve("M/Pack2/two.mid"));
        assertThat(importer.importDirectory(root).counts().missing()).isEqualTo(1);
    }

    @Test
    void reimport_folderChmod000_itsFilesStayPresent() throws Exception {
        Path root = packs();
        importer.importDirectory(root);
        Path locked = root.resolve("M/Pack2");
        Set<PosixFilePermission> before = Files.getPosixFilePermissions(locked);
        Files.setPosixFilePermissions(locked, Set.of());
        try {
            boolean listable;
            try (var list = Files.newDirectoryStream(locked)) {
                listable = list.iterator() != null;
            } catch (AccessDeniedException e) {
                listable = false;
            }
            assumeFalse(listable, "this process lists a chmod 000 folder (root with CAP_DAC_OVERRIDE): "
                    + "reimport_folderCannotBeListed_itsFilesStayPresent covers the case through the walker's error path");

            ImportResult again = importer.importDirectory(root);

            assertThat(again.counts().missing()).isZero();
            assertThat(again.counts().failed()).isEqualTo(1);
            assertThat(count("SELECT count(*) FROM files WHERE missing_since IS NULL")).isEqualTo(3);
        } finally {
            Files.setPosixFilePermissions(locked, before);
        }
    }

    @Test
    void reimport_fileUnreadableThenReadable_isReadAgain() throws Exception {
        Path root = packs();
        FaultyDisk disk = new FaultyDisk();
        disk.unreadable.add(root.resolve("M/Pack1/one.mid"));
        ImportResult first = new DirectoryImporter(catalog.dataSource(), changes, TestMidi::analyze, disk)
                .importDirectory(root);
        assertThat(first.counts().failed()).isEqualTo(1);
        assertThat(first.failures()).singleElement().extracting(ImportResult.ImportFailure::reason)
                .asString().startsWith("unreadable file: ");

        // permissions fixed (chmod changes the ctime, not the size or mtime)
        ImportResult second = importer.importDirectory(root);

        assertThat(second.counts().imported()).isEqualTo(1);
        assertThat(second.counts().unchanged()).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM files")).isEqualTo(3);
    }

    /** Renames {@code file} (in {@code folder}) to the bytes of a bash $'...' string. */
    private static void renameToBytes(Path folder, String file, String bashBytes) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", "cd \"$1\" && mv -- \"$2\" $'" + bashBytes + "'", "rename",
                folder.toString(), file).inheritIO().start();
        assertThat(p.waitFor()).as("mv " + file + " " + bashBytes).isZero();
    }

    @Test
    void importDirectory_namesNotInFileNameEncoding_failWithReason() throws Exception {
        assumeTrue("UTF-8".equals(System.getProperty("sun.jnu.encoding")),
                "needs a JVM whose file names are UTF-8 (sun.jnu.encoding is " + System.getProperty("sun.jnu.encoding") + ")");
        Path root = dir.resolve("cyr");
        TestMidi.write(root.resolve("a.mid"), "song one");
        TestMidi.write(root.resolve("b.mid"), "song two");
        TestMidi.write(root.resolve("c.mid"), "song three");
        TestMidi.write(root.resolve("ok.mid"), "fine");
        TestMidi.write(root.resolve("d/inside.mid"), "in a folder with a cp1251 name");
        // "Песня.mid", "Дождь.mid", "Весна.mid" and a folder "Песня" in cp1251 (Windows Cyrillic)
        renameToBytes(root, "a.mid", "\\xcf\\xe5\\xf1\\xed\\xff.mid");
        renameToBytes(root, "b.mid", "\\xc4\\xee\\xe6\\xe4\\xfc.mid");
        renameToBytes(root, "c.mid", "\\xc2\\xe5\\xf1\\xed\\xe0.mid");
        renameToBytes(root, "d", "\\xcf\\xe5\\xf1\\xed\\xff");

        ImportResult result = importer.importDirectory(root);

        assertThat(result.counts().seen()).isEqualTo(5);
        assertThat(result.counts().imported()).isEqualTo(1);
        assertThat(result.counts().failed()).isEqualTo(4);
        assertThat(result.failures()).hasSize(4).allSatisfy(f -> assertThat(f.reason())
                .contains("not valid in the JVM's file name encoding (sun.jnu.encoding UTF-8")
                .containsAnyOf("%CF%E5%F1%ED%FF", "%C4%EE%E6%E4%FC", "%C2%E5%F1%ED%E0"));
        assertThat(text("SELECT string_agg(path, ',') FROM file_locations")).isEqualTo(root.resolve("ok.mid").toString());

        ImportResult again = importer.importDirectory(root);
        assertThat(again.counts().failed()).isEqualTo(4);
        assertThat(again.counts().unchanged()).isEqualTo(1);
    }

    @Test
    void importDirectory_utf8Name_importedOrFailsWithLocaleAdvice() throws Exception {
        Path root = dir.resolve("utf8");
        TestMidi.write(root.resolve("a.mid"), "song");
        renameToBytes(root, "a.mid", "\\xd0\\x9f\\xd0\\xb5\\xd1\\x81\\xd0\\xbd\\xd1\\x8f.mid"); // "Песня.mid" in UTF-8

        ImportResult result = importer.importDirectory(root);

        if ("UTF-8".equals(System.getProperty("sun.jnu.encoding"))) {
            assertThat(result.counts().imported()).isEqualTo(1);
            assertThat(text("SELECT filename FROM files")).isEqualTo("Песня.mid");
        } else {
            // e.g. LANG=C: sun.jnu.encoding ANSI_X3.4-1968 cannot name a non-ASCII file
            assertThat(result.counts().failed()).isEqualTo(1);
            assertThat(result.failures()).singleElement().extracting(ImportResult.ImportFailure::reason).asString()
                    .contains("LANG=C.UTF-8");
        }
    }

    @Test
    void nameProblem_asciiFileNameEncoding_advisesUtf8Locale() {
        Path name = Path.of("/lib/x.mid");
        assertThat(ImportRun.nameProblem(name, "UTF-8")).isNull();
        assertThat(ImportRun.encodingAdvice("ANSI_X3.4-1968")).contains("ANSI_X3.4-1968").contains("LANG=C.UTF-8");
        assertThat(ImportRun.encodingAdvice("UTF-8")).doesNotContain("LANG=C.UTF-8").contains("rename");
    }

    @Test
    void importDirectory_rootIsLinkToFolder_importsUnderTheLinkEitherWay() throws Exception {
        Path real = dir.resolve("real");
        TestMidi.write(real.resolve("M/C/one.mid"), "one");
        TestMidi.write(real.resolve("M/C/two.mid"), "two");
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);

        ImportResult first = importer.importDirectory(link);
        assertThat(first.counts().imported()).isEqualTo(2);
        assertThat(text("SELECT string_agg(path, ',' ORDER BY path) FROM file_locations"))
                .isEqualTo(link.resolve("M/C/one.mid") + "," + link.resolve("M/C/two.mid"));
        assertThat(text("SELECT string_agg(DISTINCT manufacturer || '/' || collection, ',') FROM files")).isEqualTo("M/C");

        ImportResult followed = importer.importDirectory(link, ImportOptions.builder().followSymlinks(true).build());
        assertThat(followed.counts().unchanged()).isEqualTo(2);
        assertThat(followed.counts().missing()).isZero();

        ImportResult again = importer.importDirectory(link);
        assertThat(again.counts().unchanged()).isEqualTo(2);
        assertThat(again.counts().missing()).isZero();
        assertThat(count("SELECT count(*) FROM files WHERE missing_since IS NOT NULL")).isZero();

        Path single = Files.createSymbolicLink(dir.resolve("single.mid"), real.resolve("M/C/one.mid"));
        assertThat(importer.importDirectory(single).counts().duplicates()).isEqualTo(1);

        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("unmounted"));
        assertThatThrownBy(() -> importer.importDirectory(dangling)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dangling").hasMessageContaining("unmounted");
    }

    @Test
    void importDirectory_fileOverSizeCap_failsWithoutBeingRead() throws Exception {
        Path root = dir.resolve("huge");
        TestMidi.write(root.resolve("good.mid"), "good");
        try (RandomAccessFile f = new RandomAccessFile(root.resolve("disk-image.mid").toFile(), "rw")) {
            f.setLength(3L << 30); // sparse
        }

        ImportResult result = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> importer.importDirectory(root));

        assertThat(result.counts().seen()).isEqualTo(2);
        assertThat(result.counts().imported()).isEqualTo(1);
        assertThat(result.counts().failed()).isEqualTo(1);
        assertThat(result.counts().bytes()).isLessThan(1000);
        assertThat(result.failures()).singleElement().extracting(ImportResult.ImportFailure::reason).asString()
                .contains("3221225472 bytes").contains("maxFileSize");

        // a lower limit, and back: the limit is asked again on every import, nothing is kept
        ImportResult lower = importer.importDirectory(root.resolve("good.mid"), ImportOptions.builder().maxFileSize(10).build());
        assertThat(lower.counts().failed()).isEqualTo(1);
        assertThat(lower.failures()).singleElement().extracting(ImportResult.ImportFailure::reason).asString()
                .contains("bytes > 10)");
        assertThat(importer.importDirectory(root.resolve("good.mid")).counts().unchanged()).isEqualTo(1);
    }

    @Test
    void importDirectory_analyserThrowsError_countedAsFailure() throws Exception {
        Path root = packs();
        DirectoryImporter breaking = new DirectoryImporter(catalog.dataSource(), changes, bytes -> {
            MidiAnalysis a = TestMidi.analyze(bytes);
            if (utf8(bytes).contains("two")) {
                throw new StackOverflowError("analyser broke");
            }
            return a;
        });

        ImportResult result = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> breaking.importDirectory(root));

        assertThat(result.counts().seen()).isEqualTo(3);
        assertThat(result.counts().imported()).isEqualTo(2);
        assertThat(result.counts().failed()).isEqualTo(1);
        assertThat(result.failures()).singleElement().extracting(ImportResult.ImportFailure::reason).asString()
                .contains("analyser broke");
        // an analyser's failure is not the file's: tried again next time
        assertThat(importer.importDirectory(root).counts().imported()).isEqualTo(1);
    }

    @Test
    void importDirectory_errorOnWriterThread_failsInsteadOfHanging() throws Exception {
        Path root = tree(600);
        ImportOptions options = ImportOptions.builder().batchSize(10).writers(1).threads(2).build();
        ImportListener breaking = new ImportListener() {
            @Override
            public void progress(ImportProgress progress) {
                if (progress.imported() > 0) {
                    throw new AssertionError("listener broke");
                }
            }
        };

        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThatThrownBy(
                () -> importer.importDirectory(root, options, breaking))
                .isInstanceOf(CatalogException.class).hasMessageContaining("listener broke"));
        assertThat(text("SELECT status FROM import_batches ORDER BY id DESC LIMIT 1")).isEqualTo("failed");
    }

    @Test
    void importDirectory_callerInterrupted_waitsForWritersAndCountsWhatTheyCommitted() throws Exception {
        Path root = tree(3000);
        ImportOptions options = ImportOptions.builder().batchSize(50).writers(2).threads(2).build();
        CountDownLatch firstBatch = new CountDownLatch(1);
        ImportListener listener = new ImportListener() {
            @Override
            public void progress(ImportProgress progress) {
                if (progress.imported() > 0) {
                    firstBatch.countDown();
                }
            }
        };
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<ImportResult> run = pool.submit(() -> importer.importDirectory(root, options, listener));
            if (!firstBatch.await(60, TimeUnit.SECONDS)) {
                throw new AssertionError("no batch committed in 60 s: " + (run.isDone() ? run.get() : "still running"));
            }
            run.cancel(true);
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
        }

        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("midi-import"));
        long files = count("SELECT count(*) FROM files");
        assertThat(text("SELECT status || ' ' || imported FROM import_batches ORDER BY id DESC LIMIT 1"))
                .isEqualTo("failed " + files);
        assertThat(text("SELECT error FROM import_batches ORDER BY id DESC LIMIT 1")).contains("interrupted");
        assertThat(importer.importDirectory(root).counts().imported()).isEqualTo(3000 - files);
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

    /** A listener that cancels once the first batch is in. */
    static ImportListener cancelOnFirstImport(ImportCancellation cancel) {
        return new ImportListener() {
            @Override
            public void progress(ImportProgress progress) {
                if (progress.imported() > 0) {
                    cancel.cancel();
                }
            }
        };
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
