package io.midicatalog.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.midicatalog.MidiCatalog;
import io.midicatalog.api.CatalogException;
import io.midicatalog.api.ImportCancellation;
import io.midicatalog.api.ImportListener;
import io.midicatalog.api.ImportOptions;
import io.midicatalog.api.ImportProgress;
import io.midicatalog.api.ImportResult;
import io.midicatalog.api.SearchQuery;
import io.midicatalog.internal.CatalogChanges;
import io.midicatalog.internal.SchemaMigrator;
import io.midicatalog.testing.TestDatabases;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ImportOptions.deferIndexes: whatever happens to the import, every index and key comes back. */
class DeferredIndexesTest {
    private static final String SCHEMA_OBJECTS = """
        SELECT string_agg(d, E'\\n' ORDER BY d) FROM (
            SELECT pg_get_indexdef(i.indexrelid) || CASE WHEN i.indisvalid THEN '' ELSE ' INVALID' END AS d
              FROM pg_index i
             WHERE i.indrelid IN ('files'::regclass, 'file_locations'::regclass, 'musical_metadata'::regclass,
                                  'file_categories'::regclass, 'file_instruments'::regclass)
            UNION ALL
            SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
                   || CASE WHEN convalidated THEN '' ELSE ' NOT VALID' END
              FROM pg_constraint WHERE contype = 'f') o""";

    @TempDir
    Path dir;

    private MidiCatalog catalog;
    private DirectoryImporter importer;
    private String before;

    @BeforeEach
    void setUp() throws SQLException {
        catalog = TestDatabases.migratedCatalog(DeferredIndexesTest.class);
        importer = new DirectoryImporter(catalog.dataSource(), new CatalogChanges(), TestMidi::analyze);
        before = text(SCHEMA_OBJECTS);
    }

    @AfterEach
    void tearDown() {
        catalog.close();
    }

    private Path tree(int files) {
        return TestMidi.tree(dir.resolve("many"), files);
    }

    @Test
    void importDirectory_deferIndexes_rebuildsEveryIndexAndKeyAndSearchFindsEveryFile() throws Exception {
        Path root = tree(300);

        ImportResult result = importer.importDirectory(root, ImportOptions.builder().batchSize(40).deferIndexes(true).build());

        assertThat(result.counts().imported()).isEqualTo(300);
        assertThat(text(SCHEMA_OBJECTS)).isEqualTo(before).contains("files_doc_tsv").contains("file_locations_file_id_fkey");
        assertThat(count("SELECT count(*) FROM import_deferred")).isZero();
        assertThat(catalog.search().search(SearchQuery.builder().text("loop").build()).total()).isEqualTo(300);
        // recounted at the end: search counts and browse counts know every file
        assertThat(count("SELECT sum(doc_files) FROM search_word_counts WHERE word = 'loop'")).isEqualTo(300);
        assertThat(count("SELECT sum(files) FROM browse_counts WHERE dimension = 'manufacturer'")).isEqualTo(300);
        assertThat(text("SELECT options->>'deferIndexes' FROM import_batches WHERE id = " + result.batchId()))
                .isEqualTo("true");
    }

    @Test
    void importDirectory_deferIndexes_countsEqualThoseTheTriggersKeep() throws Exception {
        Path root = tree(150);
        TestMidi.write(root.resolve("Loose Pad 90.mid"), 90, 0, 88, 60, "no manufacturer, no collection");
        TestMidi.write(root.resolve("M1/Deep/Er/Bass_Cm_4-4.mid"), 124, 0, 33, 36, "deeper");
        try (MidiCatalog normal = TestDatabases.migratedCatalog(DeferredIndexesTest.class)) {
            new DirectoryImporter(normal.dataSource(), new CatalogChanges(), TestMidi::analyze)
                    .importDirectory(root, ImportOptions.builder().batchSize(30).build());

            importer.importDirectory(root, ImportOptions.builder().batchSize(30).deferIndexes(true).build());

            for (String counts : TestSql.COUNT_TABLES) {
                assertThat(text(counts)).isNotEmpty().isEqualTo(TestSql.text(normal.dataSource(), counts));
            }
        }
    }

    @Test
    void importDirectory_deferIndexesCancelled_indexesRebuiltAndRerunCompletes() throws Exception {
        Path root = tree(400);
        ImportCancellation cancel = new ImportCancellation();
        ImportOptions options = ImportOptions.builder().batchSize(20).writers(1).deferIndexes(true).cancellation(cancel).build();

        ImportResult result = importer.importDirectory(root, options, ImporterTest.cancelOnFirstImport(cancel));

        assertThat(result.status()).isEqualTo(ImportResult.Status.CANCELLED);
        assertThat(text(SCHEMA_OBJECTS)).isEqualTo(before);
        assertThat(count("SELECT count(*) FROM import_deferred")).isZero();
        ImportResult rerun = importer.importDirectory(root, ImportOptions.builder().deferIndexes(true).build());
        assertThat(rerun.counts().imported() + rerun.counts().unchanged()).isEqualTo(400);
        assertThat(text(SCHEMA_OBJECTS)).isEqualTo(before);
    }

    @Test
    void importDirectory_deferIndexesWritersLoseTheDatabase_importFailsAndIndexesAreRebuilt() throws Exception {
        Path root = tree(600);
        AtomicBoolean refuse = new AtomicBoolean();
        DirectoryImporter failing = new DirectoryImporter(new Refusing(catalog.dataSource(), refuse), new CatalogChanges(),
                TestMidi::analyze);
        ImportOptions options = ImportOptions.builder().batchSize(20).writers(2).deferIndexes(true).build();

        assertThatThrownBy(() -> failing.importDirectory(root, options, new ImportListener() {
            @Override
            public void progress(ImportProgress progress) {
                // once some batches are in: no new connections, and the writers' connections die
                if (progress.imported() > 0 && !refuse.getAndSet(true)) {
                    execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
                            + BatchWriter.APPLICATION_NAME + "'");
                }
            }
        })).isInstanceOf(CatalogException.class);

        refuse.set(false);
        assertThat(text(SCHEMA_OBJECTS)).isEqualTo(before);
        assertThat(count("SELECT count(*) FROM import_deferred")).isZero();
        ImportResult rerun = importer.importDirectory(root);
        assertThat(rerun.counts().failed()).isZero();
        assertThat(count("SELECT count(*) FROM files")).isEqualTo(600);
        assertThat(catalog.search().search(SearchQuery.builder().text("loop").build()).total()).isEqualTo(600);
    }

    @Test
    void deferral_processDies_migrateRebuildsButNotWhileAnotherDeferralRuns() throws Exception {
        DeferredMaintenance first = DeferredMaintenance.begin(catalog.dataSource());
        DeferredMaintenance second = DeferredMaintenance.begin(catalog.dataSource());
        assertThat(text(SCHEMA_OBJECTS)).doesNotContain("files_doc_tsv").doesNotContain("file_locations_file_id_fkey")
                .contains("files_content_hash").contains("file_locations_pkey");
        long deferred = count("SELECT count(*) FROM import_deferred");
        assertThat(deferred).isGreaterThanOrEqualTo(12);

        first.close(); // another deferral still runs: nothing is rebuilt under it
        assertThat(count("SELECT count(*) FROM import_deferred")).isEqualTo(deferred);

        // the second one's process dies: its connection and its lock go with it
        execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
                + DeferredMaintenance.APPLICATION_NAME + "'");
        assertThatThrownBy(second::close).isInstanceOf(SQLException.class);
        assertThat(count("SELECT count(*) FROM import_deferred")).isEqualTo(deferred);

        catalog.migrate();

        assertThat(text(SCHEMA_OBJECTS)).isEqualTo(before);
        assertThat(count("SELECT count(*) FROM import_deferred")).isZero();
    }

    @Test
    void deferral_processDiesOnAnOlderSchema_migrateRebuildsThenUpgrades() throws Exception {
        DataSource old = TestDatabases.fresh(DeferredIndexesTest.class);
        Flyway.configure().dataSource(old).locations("classpath:io/midicatalog/schema")
                .table(SchemaMigrator.HISTORY_TABLE).baselineOnMigrate(true).baselineVersion("0").target("12")
                .load().migrate();
        DeferredMaintenance deferral = DeferredMaintenance.begin(old);
        TestSql.execute(old, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
                + DeferredMaintenance.APPLICATION_NAME + "'");
        assertThatThrownBy(deferral::close).isInstanceOf(SQLException.class);
        assertThat(TestSql.count(old, "SELECT count(*) FROM import_deferred")).isPositive();

        // V13 replaces an index the dead import had dropped: it must be back before V13 runs
        try (MidiCatalog upgraded = new MidiCatalog(old)) {
            upgraded.migrate();
        }

        assertThat(TestSql.text(old, SCHEMA_OBJECTS)).isEqualTo(before);
        assertThat(TestSql.count(old, "SELECT count(*) FROM import_deferred")).isZero();
    }

    @Test
    void deferral_parentsDeletedMeanwhile_keysRepairedAsTheirDeleteActionWould() throws Exception {
        importer.importDirectory(tree(50));
        long gone = count("SELECT min(id) FROM files");
        DeferredMaintenance deferral = DeferredMaintenance.begin(catalog.dataSource());
        // without the keys nothing cascades: the children of the deleted file stay until the restore
        execute("DELETE FROM files WHERE id = " + gone);
        execute("DELETE FROM import_batches");
        assertThat(count("SELECT count(*) FROM musical_metadata WHERE file_id = " + gone)).isEqualTo(1);

        deferral.close();

        assertThat(text(SCHEMA_OBJECTS)).isEqualTo(before);
        assertThat(count("SELECT count(*) FROM musical_metadata WHERE file_id = " + gone)).isZero();
        assertThat(count("SELECT count(*) FROM file_locations WHERE file_id = " + gone)).isZero();
        assertThat(count("SELECT count(*) FROM files WHERE import_batch_id IS NOT NULL")).isZero();
        assertThat(count("SELECT count(*) FROM files")).isEqualTo(49);
    }

    @Test
    void restore_diedAfterAddingKeysUnchecked_nextRestoreChecksThemAndRepairs() throws Exception {
        importer.importDirectory(tree(20));
        long gone = count("SELECT min(id) FROM files");
        DeferredMaintenance deferral = DeferredMaintenance.begin(catalog.dataSource());
        execute("DELETE FROM files WHERE id = " + gone);
        // what a restore that died after its first step leaves: keys back but unchecked, rows kept
        execute("ALTER TABLE musical_metadata ADD CONSTRAINT musical_metadata_file_id_fkey FOREIGN KEY (file_id) "
                + "REFERENCES files(id) ON DELETE CASCADE NOT VALID");
        execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
                + DeferredMaintenance.APPLICATION_NAME + "'");
        assertThatThrownBy(deferral::close).isInstanceOf(SQLException.class);

        catalog.migrate();

        assertThat(text(SCHEMA_OBJECTS)).isEqualTo(before).doesNotContain("NOT VALID");
        assertThat(count("SELECT count(*) FROM import_deferred")).isZero();
        assertThat(count("SELECT count(*) FROM musical_metadata WHERE file_id = " + gone)).isZero();
    }

    private long count(String sql) throws SQLException {
        return TestSql.count(catalog.dataSource(), sql);
    }

    private String text(String sql) throws SQLException {
        return TestSql.text(catalog.dataSource(), sql);
    }

    private void execute(String sql) {
        try {
            TestSql.execute(catalog.dataSource(), sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A DataSource that refuses new connections while told to, as a database that went away does. */
    private record Refusing(DataSource delegate, AtomicBoolean refuse) implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            if (refuse.get()) {
                throw new SQLException("connection refused (test)", "08001");
            }
            return delegate.getConnection();
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return delegate.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            delegate.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            delegate.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return delegate.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return delegate.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            return delegate.unwrap(type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type) throws SQLException {
            return delegate.isWrapperFor(type);
        }
    }
}
