package io.midicatalog.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.midicatalog.MidiCatalog;
import io.midicatalog.api.ImportCancellation;
import io.midicatalog.api.ImportOptions;
import io.midicatalog.api.ImportResult;
import io.midicatalog.internal.CatalogChanges;
import io.midicatalog.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end of an import that found moved files: their old paths marked missing, then each read
 * again at its new path. The reads hold no row locks, stop on cancel, and whatever goes wrong
 * there still closes the batch.
 */
class ImportEndPhaseTest {
    @TempDir
    Path dir;

    private MidiCatalog catalog;
    private final Map<Path, AtomicInteger> readsOf = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();
    /** Called on the second read of a path within one import (the markMissing re-read). */
    private volatile Consumer<Path> onSecondRead = p -> {};
    private DirectoryImporter importer;
    private final CatalogChanges changes = new CatalogChanges();
    /** Called whenever the import reports changed files (after a commit). */
    private volatile Runnable onFilesChanged = () -> {};

    @BeforeEach
    void setUp() {
        catalog = TestDatabases.migratedCatalog(ImportEndPhaseTest.class);
        Disk disk = new HookedDisk(file -> {
            reads.incrementAndGet();
            if (readsOf.computeIfAbsent(file, f -> new AtomicInteger()).incrementAndGet() == 2) {
                onSecondRead.accept(file);
            }
        });
        changes.subscribe(new CatalogChanges.Listener() {
            @Override
            public void filesChanged(long[] fileIds) {
                onFilesChanged.run();
            }
        });
        importer = new DirectoryImporter(catalog.dataSource(), changes, TestMidi::analyze, disk);
    }

    @AfterEach
    void tearDown() {
        catalog.close();
    }

    private void resetReads() {
        readsOf.clear();
        reads.set(0);
    }

    /** lib/Old/File i.mid, imported, then the folder renamed to lib/New. */
    private Path movedFolder(int files) throws IOException {
        Path root = dir.resolve("lib");
        for (int i = 0; i < files; i++) {
            TestMidi.write(root.resolve("Old/File " + i + ".mid"), "file " + i);
        }
        importer.importDirectory(root);
        Files.move(root.resolve("Old"), root.resolve("New"));
        resetReads();
        return root;
    }

    @Test
    void rereadOfMovedFiles_callerInterrupted_batchClosedAsFailed() throws Exception {
        Path root = movedFolder(1);
        CountDownLatch inReread = new CountDownLatch(1);
        onSecondRead = p -> {
            inReread.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<ImportResult> run = pool.submit(() -> importer.importDirectory(root));
        assertThat(inReread.await(60, TimeUnit.SECONDS)).isTrue();
        run.cancel(true);
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        assertThat(text("SELECT status FROM import_batches ORDER BY id DESC LIMIT 1")).isEqualTo("failed");
        assertThat(text("SELECT count(*) FROM file_locations WHERE missing_since IS NOT NULL")).isEqualTo("1");
    }

    @Test
    void rereadOfMovedFiles_errorOnAFile_importCompletesAndOldPathsAreMarked() throws Exception {
        Path root = movedFolder(2);
        onSecondRead = p -> {
            throw new OutOfMemoryError("Java heap space (simulated)");
        };
        Throwable thrown = null;
        try {
            importer.importDirectory(root);
        } catch (RuntimeException e) {
            thrown = e;
        }
        assertThat(thrown).isNull();
        assertThat(text("SELECT status FROM import_batches ORDER BY id DESC LIMIT 1")).isEqualTo("completed");
        assertThat(text("SELECT count(*) FROM file_locations WHERE missing_since IS NOT NULL")).isEqualTo("2");
    }

    @Test
    void rereadOfMovedFiles_cancelled_stopsAtOnce() throws Exception {
        Path root = movedFolder(10);
        ImportCancellation cancel = new ImportCancellation();
        long[] cancelledAt = new long[1];
        onSecondRead = p -> {
            if (!cancel.isCancelled()) {
                cancelledAt[0] = System.nanoTime();
                cancel.cancel();
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        ImportResult r = importer.importDirectory(root, ImportOptions.builder().threads(1).cancellation(cancel).build());
        double after = (System.nanoTime() - cancelledAt[0]) / 1e9;
        assertThat(after).as("seconds from cancel to return; reading on would take 5").isLessThan(4);
        assertThat(r.status()).isEqualTo(ImportResult.Status.CANCELLED);
    }

    @Test
    void rereadOfMovedFiles_moreThanABatch_everyFileRefreshedOnce() throws Exception {
        Path root = movedFolder(7);

        ImportResult r = importer.importDirectory(root, ImportOptions.builder().batchSize(3).build());

        assertThat(r.counts().moved()).isEqualTo(7);
        assertThat(text("SELECT string_agg(DISTINCT manufacturer, ',') FROM files")).isEqualTo("New");
        assertThat(readsOf.values()).hasSize(7).allSatisfy(n -> assertThat(n.get()).isEqualTo(2));
    }

    @Test
    void endPhase_errorAfterTheMarksCommit_batchClosedAsFailed() throws Exception {
        Path root = movedFolder(1);
        onFilesChanged = () -> {
            throw new AssertionError("a listener broke");
        };

        assertThatThrownBy(() -> importer.importDirectory(root)).hasMessageContaining("a listener broke");

        assertThat(text("SELECT status FROM import_batches ORDER BY id DESC LIMIT 1")).isEqualTo("failed");
    }

    @Test
    void endPhase_cancelAfterTheMarksWithNothingToRefresh_completes() throws Exception {
        Path root = dir.resolve("lib");
        TestMidi.write(root.resolve("Pack/a.mid"), "a");
        Path gone = TestMidi.write(root.resolve("Pack/b.mid"), "b");
        importer.importDirectory(root);
        Files.delete(gone);
        ImportCancellation cancel = new ImportCancellation();
        onFilesChanged = cancel::cancel; // only the missing marks report changes in this import

        ImportResult r = importer.importDirectory(root, ImportOptions.builder().cancellation(cancel).build());

        assertThat(cancel.isCancelled()).isTrue();
        assertThat(r.status()).isEqualTo(ImportResult.Status.COMPLETED);
        assertThat(r.counts().missing()).isEqualTo(1);
        assertThat(text("SELECT status FROM import_batches ORDER BY id DESC LIMIT 1")).isEqualTo("completed");
    }

    @Test
    void rereadOfMovedFiles_holdsNoRowLocksWhileReading() throws Exception {
        Path root = movedFolder(1);
        long id = Long.parseLong(text("SELECT id FROM files"));
        CountDownLatch inReread = new CountDownLatch(1);
        CountDownLatch probed = new CountDownLatch(1);
        onSecondRead = p -> {
            inReread.countDown();
            try {
                probed.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<ImportResult> run = pool.submit(() -> importer.importDirectory(root));
        assertThat(inReread.await(60, TimeUnit.SECONDS)).isTrue();
        String outcome;
        try (Connection c = catalog.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("SET lock_timeout = '2s'");
            s.executeUpdate("UPDATE files SET bpm = 99 WHERE id = " + id);
            outcome = "not blocked";
        } catch (SQLException e) {
            outcome = "blocked: " + e.getSQLState() + " " + e.getMessage();
        }
        String outcome2;
        try (Connection c = catalog.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("SET lock_timeout = '2s'");
            s.executeUpdate("UPDATE file_locations SET last_seen_at = now() WHERE path LIKE '%/Old/%'");
            outcome2 = "not blocked";
        } catch (SQLException e) {
            outcome2 = "blocked: " + e.getSQLState() + " " + e.getMessage();
        }
        probed.countDown();
        run.get(60, TimeUnit.SECONDS);
        pool.shutdown();
        assertThat(outcome).isEqualTo("not blocked");
        assertThat(outcome2).isEqualTo("not blocked");
    }

    @Test
    void pathTooLong_refusedWithoutBeingRead_andSkippedWhileUnchanged() throws Exception {
        Path root = dir.resolve("lib");
        Path deep = root;
        for (int i = 0; i < 12; i++) {
            deep = deep.resolve(String.valueOf((char) ('a' + i)).repeat(240));
        }
        TestMidi.write(deep.resolve("long.mid"), "long");
        TestMidi.write(root.resolve("short.mid"), "short");
        ImportResult r = importer.importDirectory(root);
        assertThat(r.counts().failed()).isEqualTo(1);
        assertThat(r.failures().get(0).reason()).startsWith("path too long for the catalog");
        assertThat(readsOf).containsOnlyKeys(root.resolve("short.mid"));
        resetReads();
        ImportResult again = importer.importDirectory(root);
        assertThat(reads.get()).isZero();
        assertThat(again.counts().unchanged()).isEqualTo(2);
    }

    private String text(String sql) throws SQLException {
        return TestSql.text(catalog.dataSource(), sql);
    }
}
