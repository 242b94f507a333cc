package io.midicatalog.importer;

import io.midicatalog.api.CatalogException;
import io.midicatalog.api.ImportListener;
import io.midicatalog.api.ImportOptions;
import io.midicatalog.api.ImportProgress;
import io.midicatalog.api.ImportResult;
import io.midicatalog.api.ImportResult.ImportFailure;
import io.midicatalog.api.MidiFormatException;
import io.midicatalog.importer.PathIntelligence.PathFacts;
import io.midicatalog.internal.CatalogChanges;
import io.midicatalog.internal.LongHashSet;
import io.midicatalog.midi.MidiAnalysis;
import io.midicatalog.midi.MidiAnalyzer;
import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One import, start to end:
 * <ol>
 *   <li>the calling thread walks the tree; every 1,000 MIDI files it asks the database in one
 *       query which of those paths it knows with the same size and mtime (unchanged: counted and
 *       skipped without reading; nothing is written for them), unless the catalog was empty when
 *       the import began;</li>
 *   <li>the others are read, hashed and analysed on {@code threads} threads; a semaphore bounds
 *       the files in flight, so memory stays bounded whatever the tree's size;</li>
 *   <li>analysed rows (COPY text) and failures go to a batcher that keeps one batch per writer,
 *       chosen by content hash; full batches go through a queue of two batches to their
 *       {@link BatchWriter}, one transaction each. Partitioning by content means two writers of
 *       one import never insert the same content at once: otherwise the second waits on the
 *       first's uncommitted unique-index entry until its whole batch commits, which measured as
 *       two writers slower than one (15% of a typical library are byte-identical copies);</li>
 *   <li>at the end (unless cancelled) locations under the root that the walk did not see are
 *       marked missing, except at and under the paths it could not visit (a folder it could not
 *       list, a file whose attributes it could not read: their files may well still be there); a file whose primary location went missing but which was found at a new
 *       path takes that path (a move: same id, tags, favorites) and, read again there, what a fresh
 *       import of it would store for everything the path decides; files without any present
 *       location are marked missing. Then ANALYZE when much changed, and the batch row is closed.</li>
 * </ol>
 */
final class ImportRun {
    private static final Logger LOG = LoggerFactory.getLogger(ImportRun.class);
    private static final int LOOKUP_CHUNK = 1_000;
    /**
     * The version of the reader and analysis this importer runs. A change that alters what is
     * stored for files lists them in files_outdated with a migration, and one that changes which
     * files the reader accepts also raises this and the default of import_failures.analysis_version
     * (schema V15 explains): an import then reads those files and failures again.
     */
    static final int ANALYSIS_VERSION = 2;
    private static final long ANALYZE_THRESHOLD = 10_000;
    /**
     * The statistics of files that an import refreshes: only its columns that queries filter,
     * join, group or sort by. ANALYZE sorts its 30,000-row sample once per column (text with the
     * database's collation), and the written-only columns (paths, original names, word texts,
     * signatures, times, sizes) were half its cost: 730-820 ms against 350-400 ms at 100K files,
     * on the critical path of a deferIndexes import. A column list leaves the table's change
     * counter as it is, so autovacuum still analyses every column soon after (PostgreSQL resets
     * it only for an ANALYZE of the whole table).
     */
    static final String ANALYZE_FILES = """
            ANALYZE files (id, content_hash, filename, manufacturer, collection, fingerprint, format, num_tracks,
                           duration_seconds, bpm, key_code, time_sig_num, time_sig_den, category, note_count,
                           percussive, gm_families, created_at, missing_since, import_batch_id, doc_tsv, name_tsv)""";
    /** The JVM's file name encoding: see {@link #nameProblem}. */
    private static final String JNU_ENCODING = System.getProperty("sun.jnu.encoding", "unknown");
    private static final BatchWriter.Batch POISON = new BatchWriter.Batch(List.of(), List.of());

    private final DataSource dataSource;
    private final CatalogChanges changes;
    private final Function<byte[], MidiAnalysis> analyzer;
    private final Disk disk;
    private final Path root;
    private final ImportOptions options;
    private final ImportListener listener;
    private final PathIntelligence intelligence;
    private final long started = System.nanoTime();

    private final AtomicLong seen = new AtomicLong();
    private final AtomicLong imported = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong unchanged = new AtomicLong();
    private final AtomicLong updated = new AtomicLong();
    private final AtomicLong moved = new AtomicLong();
    private final AtomicLong missing = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final List<ImportFailure> firstFailures = new ArrayList<>();
    private final AtomicReference<Throwable> fatal = new AtomicReference<>();
    private final Object listenerLock = new Object();
    private final LongHashSet walked = new LongHashSet(1 << 16);
    /** Folders and files the walk could not visit (walker thread, then markMissing on the same thread). */
    private final Set<String> unvisited = new HashSet<>();
    /** Files a writer gave a primary path its batch did not analyse (see BatchWriter.Outcome). */
    private final Set<Long> unrefreshed = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /**
     * Files a batch gave another primary path or marked missing. Another writer's batch may have
     * added a location of theirs that the first batch could not see yet (not committed): the end
     * phase looks at them again, see {@link #markMissing}. Also files the walk found again,
     * unchanged, at a location whose missing mark it cleared ({@link #revive}): their primary path
     * may be another location, still missing.
     */
    private final Set<Long> repathed = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** A cancel stopped the refresh of moved files before every one was read. */
    private volatile boolean refreshCutShort;

    private long batchId;
    private Timestamp runStart;
    /** The catalog had no file, location or failure when this import began (a first import). */
    private boolean emptyCatalog;
    /** Some file was listed as written by an older analysis when this import began (schema V15). */
    private boolean outdatedFiles;
    private @Nullable Connection walkerConnection;
    /** The deferral's restore analysed files and file_locations after this import's writes. */
    private boolean analysed;
    private List<Candidate> pending = new ArrayList<>();
    private long lastProgress;

    // pipeline
    private ExecutorService analysers;
    private Semaphore inFlight;
    private List<BlockingQueue<BatchWriter.Batch>> queues;
    private final Object batchLock = new Object();
    private List<List<StagedRow>> rows;
    private List<BatchWriter.Failed> failures = new ArrayList<>();

    ImportRun(DataSource dataSource, CatalogChanges changes, Function<byte[], MidiAnalysis> analyzer, Disk disk,
            Path root, ImportOptions options, ImportListener listener) {
        this.analyzer = analyzer;
        this.disk = disk;
        this.dataSource = dataSource;
        this.changes = changes;
        this.root = root;
        this.options = options;
        this.listener = listener;
        this.intelligence = new PathIntelligence(options.manufacturerDepth(), options.collectionDepth());
    }

    /** The folder read last, by any analysis thread (immutable: a race only reads a folder again). */
    private record LastFolder(@Nullable Path path, PathIntelligence.Folder folder) {}

    private volatile @Nullable LastFolder lastFolder;

    /** A MIDI file found by the walk. */
    private record Candidate(Path path, String key, long size, @Nullable Instant mtime) {}

    /**
     * What the catalog knows of a path (file id 0: a file that was not a MIDI file at this size and
     * mtime; failures that reading again may cure are recorded without them, see {@link #analyse}).
     */
    private record Known(long fileId, long size, @Nullable Instant mtime, boolean missing, boolean outdated) {}

    ImportResult run() {
        openBatch();
        DeferredMaintenance deferral = startMaintenance();
        analysers = Executors.newFixedThreadPool(options.threads(), named("midi-import-analyse"));
        inFlight = new Semaphore(options.threads() * 16);
        queues = new ArrayList<>();
        rows = new ArrayList<>();
        List<Thread> writers = new ArrayList<>();
        for (int i = 0; i < options.writers(); i++) {
            BlockingQueue<BatchWriter.Batch> queue = new ArrayBlockingQueue<>(2);
            queues.add(queue);
            rows.add(new ArrayList<>());
            Thread t = named("midi-import-write").newThread(() -> writeLoop(queue));
            t.start();
            writers.add(t);
        }
        boolean interrupted;
        try {
            walk();
            flushLookups();
            LOG.debug("walk done after {} s", seconds());
        } catch (Throwable e) {
            // an Error too (a listener's, OutOfMemoryError): the batch row is closed as failed
            fatal.compareAndSet(null, e);
        } finally {
            interrupted = drain(writers);
            closeWalkerConnection();
            endMaintenance(deferral);
        }
        boolean cancelled = cancelled();
        Throwable error = fatal.get();
        try {
            if (error == null && !cancelled) {
                try {
                    Set<Long> repointed = markMissing();
                    LOG.debug("missing marked after {} s", seconds());
                    // a cancel now only cuts the refresh of moved files short: the marks stand
                    cancelled = !refreshMoved(repointed);
                } catch (Throwable e) { // an Error too (a listener's): the batch row still closes, as failed
                    if (e instanceof SQLException sql && "57014".equals(sql.getSQLState())
                            && e.getCause() instanceof InterruptedException) {
                        interrupted = true; // restored after the batch row is closed, not before
                    }
                    error = e;
                }
            }
            closeBatch(error == null ? (cancelled ? "cancelled" : "completed") : "failed", error);
            LOG.debug("batch closed (and analysed) after {} s", seconds());
        } catch (SQLException e) {
            if (error == null) {
                error = e;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (error != null) {
            throw new CatalogException("import of " + root + " failed (batch " + batchId + "; committed batches stay, "
                    + "a rerun completes it): " + error.getMessage(), error);
        }
        ImportProgress counts = progress();
        notifyProgress(counts);
        List<ImportFailure> first;
        synchronized (firstFailures) {
            first = List.copyOf(firstFailures);
        }
        return new ImportResult(batchId, cancelled ? ImportResult.Status.CANCELLED : ImportResult.Status.COMPLETED,
                counts, first);
    }

    /**
     * Waits for the analysers, hands each writer its last batch and the poison, and waits for the
     * writers, however often this thread is interrupted meanwhile: an interrupt stops the import
     * (once the writers' current transactions end nothing more is written), but the batch row is
     * closed only after them, so it counts every file they committed and no thread of this import
     * outlives it.
     *
     * @return whether this thread was interrupted (its flag is cleared, for the caller to restore)
     */
    private boolean drain(List<Thread> writers) {
        boolean interrupted = Thread.interrupted();
        if (interrupted) {
            interrupted();
        }
        analysers.shutdown();
        interrupted |= uninterruptibly(() -> {
            while (!analysers.awaitTermination(1, TimeUnit.SECONDS)) {
                if (stopped()) {
                    analysers.shutdownNow();
                }
            }
        });
        for (int i = 0; i < writers.size(); i++) {
            if (!stopped()) {
                handOff(i);
            }
            BlockingQueue<BatchWriter.Batch> queue = queues.get(i);
            interrupted |= uninterruptibly(() -> queue.put(POISON)); // a stopped writer drains without writing
        }
        for (Thread t : writers) {
            interrupted |= uninterruptibly(t::join);
        }
        LOG.debug("writers done after {} s", seconds());
        return interrupted;
    }

    /** A wait that an interrupt may cut short. */
    private interface Wait {
        void run() throws InterruptedException;
    }

    /** Runs the wait to its end, again after each interrupt, which stops the import; whether there was one. */
    private boolean uninterruptibly(Wait wait) {
        boolean interrupted = false;
        while (true) {
            try {
                wait.run();
                return interrupted;
            } catch (InterruptedException e) {
                interrupted = true;
                interrupted();
            }
        }
    }

    /** Stops the import for an interrupt, with a message that says so (InterruptedException has none). */
    private void interrupted() {
        fatal.compareAndSet(null, new InterruptedException("interrupted (Thread.interrupt() on "
                + Thread.currentThread().getName() + ")"));
        if (analysers != null) {
            analysers.shutdownNow();
        }
    }

    /** {@link #stopped()} for the walker, which also stops when its thread is interrupted. */
    private boolean walkStopped() {
        if (Thread.currentThread().isInterrupted()) {
            interrupted();
        }
        return stopped();
    }

    // ---- deferred index maintenance ------------------------------------------------------

    /**
     * With {@code deferIndexes}, defers (see {@link DeferredMaintenance}); without, first restores
     * what an import that died while deferring left behind. Neither stops the import when it fails.
     */
    private @Nullable DeferredMaintenance startMaintenance() {
        try {
            if (options.deferIndexes()) {
                return DeferredMaintenance.begin(dataSource);
            }
            DeferredMaintenance.restoreLeftovers(dataSource);
        } catch (SQLException e) {
            LOG.warn("could not {} ({}); importing with the indexes as they are",
                    options.deferIndexes() ? "defer index maintenance" : "restore deferred indexes", e.getMessage());
        }
        return null;
    }

    /** Rebuilds what this import deferred, however it ended; a failure fails the import. */
    private void endMaintenance(@Nullable DeferredMaintenance deferral) {
        if (deferral == null) {
            return;
        }
        try {
            deferral.close();
            analysed = deferral.analysed();
            LOG.debug("deferred indexes restored after {} s", seconds());
        } catch (SQLException e) {
            fatal.compareAndSet(null, new SQLException("the deferred indexes were not rebuilt (the next import or "
                    + "migrate() rebuilds them): " + e.getMessage(), e.getSQLState(), e));
        }
    }

    // ---- walk ----------------------------------------------------------------------------

    private void walk() {
        Set<FileVisitOption> visit = options.followSymlinks() ? EnumSet.of(FileVisitOption.FOLLOW_LINKS)
                : EnumSet.noneOf(FileVisitOption.class);
        try {
            // a root that is a symbolic link (a library on another disk, linked into the user's
            // folders) is walked at its target, since walkFileTree would visit the link itself; the
            // paths stay under the root as given, whether links are followed or not, so the catalog
            // keeps them when the disk mounts elsewhere and the link is pointed there
            Path start = Files.isSymbolicLink(root) ? root.toRealPath() : root;
            disk.walk(start, visit, new SimpleFileVisitor<>() {
                private Path shown(Path walked) {
                    return start == root ? walked : root.resolve(start.relativize(walked));
                }

                @Override
                public FileVisitResult preVisitDirectory(Path walked, BasicFileAttributes attrs) {
                    if (walkStopped()) {
                        return FileVisitResult.TERMINATE;
                    }
                    Path dir = shown(walked);
                    String problem = nameProblem(dir, JNU_ENCODING);
                    if (problem != null) {
                        // every path below has the same problem: one failure for the folder
                        walkFailure(dir, problem);
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path walked, BasicFileAttributes attrs) {
                    Path file = shown(walked);
                    if (attrs.isRegularFile() && MidiAnalyzer.isMidiFileName(file)) {
                        String problem = nameProblem(file, JNU_ENCODING);
                        if (problem == null) {
                            found(file, attrs);
                        } else {
                            walkFailure(file, problem);
                        }
                    }
                    return walkStopped() ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path walked, IOException e) {
                    Path file = shown(walked);
                    if (e instanceof FileSystemLoopException) {
                        LOG.info("skipping a symbolic link loop at {}", file);
                    } else {
                        notVisited(file, (MidiAnalyzer.isMidiFileName(file) ? "unreadable file: " : "unreadable folder: ") + e);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path walked, @Nullable IOException e) {
                    if (e != null) {
                        // the listing broke off: what it did not list is not known to be gone
                        notVisited(shown(walked), "folder listed in part: " + e);
                    }
                    return walkStopped() ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new CatalogException("could not walk " + root + ": " + e.getMessage(), e);
        }
    }

    /** A folder or file the walk could not visit: a failure, and nothing at or under it goes missing. */
    private void notVisited(Path path, String reason) {
        unvisited.add(path.toString());
        walkFailure(path, reason);
    }

    /** A path the walk met but cannot import: seen and failed. */
    private void walkFailure(Path path, String reason) {
        seen.incrementAndGet();
        fail(path.toString(), reason, -1, null);
    }

    /** Whether the walk could not visit this path or a folder above it. */
    private boolean underUnvisited(String path) {
        if (unvisited.isEmpty()) {
            return false;
        }
        for (int end = path.length(); end > 0; end = path.lastIndexOf('/', end - 1)) {
            if (unvisited.contains(path.substring(0, end))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why the last name of a walked path cannot be imported, or null. A name whose bytes do not
     * decode in the JVM's file name encoding ({@code sun.jnu.encoding}, taken from the locale at
     * start-up) has U+FFFD for them in {@code toString()}: such names collapse into one key, and
     * the stored path opens nothing. UnixPath compares bytes, so a name that does not survive
     * {@code toString()} and back is one of them; names without U+FFFD always survive, and skip
     * the check.
     */
    static @Nullable String nameProblem(Path path, String encoding) {
        Path name = path.getFileName();
        if (name == null || name.toString().indexOf('\uFFFD') < 0) {
            return null;
        }
        try {
            if (name.getFileSystem().getPath(name.toString()).equals(name)) {
                return null; // a real U+FFFD in a name
            }
        } catch (java.nio.file.InvalidPathException e) {
            // U+FFFD has no place in this encoding: the name did not decode
        }
        String raw = path.toUri().getRawPath();
        raw = raw.substring(0, raw.length() - (raw.endsWith("/") ? 1 : 0));
        return "file name not valid in the JVM's file name encoding (sun.jnu.encoding " + encoding + ", "
                + localeInForce() + "), its bytes percent-encoded: " + raw.substring(raw.lastIndexOf('/') + 1) + "; "
                + encodingAdvice(encoding);
    }

    /** What to do about a name the JVM's file name encoding cannot decode. */
    static String encodingAdvice(String encoding) {
        if (encoding.equalsIgnoreCase("UTF-8") || encoding.equalsIgnoreCase("UTF8")) {
            return "the name is not UTF-8 (written on another system, e.g. in cp1251 or Latin-1): rename it to "
                    + "UTF-8, e.g. with convmv";
        }
        return "this JVM runs in a locale whose file names are " + encoding + ", which names no file outside that "
                + "charset: run it with a UTF-8 locale, e.g. LANG=C.UTF-8 (sun.jnu.encoding cannot be set with -D)";
    }

    private static String localeInForce() {
        for (String variable : new String[] {"LC_ALL", "LC_CTYPE", "LANG"}) {
            String value = System.getenv(variable);
            if (value != null && !value.isEmpty()) {
                return variable + "=" + value;
            }
        }
        return "no LC_ALL, LC_CTYPE or LANG: the POSIX locale";
    }

    private void found(Path file, BasicFileAttributes attrs) {
        String key = file.toString();
        if (!walked.add(LongHashSet.hash(key))) {
            return; // the same path twice (possible when following links)
        }
        seen.incrementAndGet();
        if (attrs.size() > options.maxFileSize()) {
            // never read: the whole file would sit on an analysis thread's heap. No size and
            // mtime, so a raised limit reads it on the next import
            fail(key, "larger than maxFileSize (" + attrs.size() + " bytes > " + options.maxFileSize()
                    + "): not read", -1, null);
            return;
        }
        Instant mtime = attrs.lastModifiedTime() == null ? null
                : attrs.lastModifiedTime().toInstant().truncatedTo(ChronoUnit.MICROS);
        pending.add(new Candidate(file, key, attrs.size(), mtime));
        if (pending.size() >= LOOKUP_CHUNK) {
            flushLookups();
        }
        long now = System.nanoTime();
        if (now - lastProgress > 250_000_000L) {
            lastProgress = now;
            notifyProgress(progress());
        }
    }

    /** One query for the chunk: unchanged files are skipped, the rest go to the analysers. */
    private void flushLookups() {
        if (pending.isEmpty()) {
            return;
        }
        List<Candidate> chunk = pending;
        pending = new ArrayList<>();
        // into an empty catalog nothing can be known yet: a concurrent import's rows that appear
        // meanwhile are duplicates to the writers' unique keys, which resolve them (see BatchWriter)
        Map<String, Known> known = emptyCatalog ? Map.of() : lookup(chunk);
        List<String> revive = new ArrayList<>();
        for (Candidate c : chunk) {
            Known k = known.get(c.key());
            if (k != null && !k.outdated() && k.size() == c.size() && java.util.Objects.equals(k.mtime(), c.mtime())) {
                unchanged.incrementAndGet();
                if (k.missing()) {
                    revive.add(c.key());
                }
                continue;
            }
            if (stopped()) {
                return;
            }
            int pathBytes = BatchWriter.pathBytes(c.key());
            if (pathBytes > BatchWriter.MAX_PATH_BYTES) { // never read: it could not be stored
                fail(c.key(), BatchWriter.pathTooLong(pathBytes), c.size(), c.mtime());
                continue;
            }
            try {
                inFlight.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                interrupted();
                return;
            }
            long previous = k == null ? 0 : k.fileId();
            analysers.execute(() -> analyse(c, previous));
        }
        if (!revive.isEmpty()) {
            revive(revive);
        }
    }

    private Map<String, Known> lookup(List<Candidate> chunk) {
        String[] paths = chunk.stream().map(Candidate::key).toArray(String[]::new);
        for (int attempt = 1; ; attempt++) {
            try {
                Connection c = walkerConnection();
                Map<String, Known> known = new HashMap<>(chunk.size() * 2);
                // a primary path of a file an older analysis wrote is read again as if it changed
                try (PreparedStatement p = c.prepareStatement(outdatedFiles ? """
                        SELECT l.path, l.file_size_bytes, l.file_mtime, l.file_id, l.missing_since IS NOT NULL,
                               EXISTS (SELECT 1 FROM files_outdated o JOIN files f ON f.id = o.file_id
                                        WHERE o.file_id = l.file_id AND f.filepath = l.path)
                          FROM file_locations l WHERE l.path = ANY(?)""" : """
                        SELECT path, file_size_bytes, file_mtime, file_id, missing_since IS NOT NULL, false
                          FROM file_locations WHERE path = ANY(?)""")) {
                    p.setArray(1, c.createArrayOf("text", paths));
                    try (ResultSet rs = p.executeQuery()) {
                        while (rs.next()) {
                            OffsetDateTime mtime = rs.getObject(3, OffsetDateTime.class);
                            known.put(rs.getString(1), new Known(rs.getLong(4), rs.getLong(2),
                                    mtime == null ? null : mtime.toInstant(), rs.getBoolean(5), rs.getBoolean(6)));
                        }
                    }
                }
                List<String> unknown = new ArrayList<>();
                for (String path : paths) {
                    if (!known.containsKey(path)) {
                        unknown.add(path);
                    }
                }
                if (!unknown.isEmpty()) {
                    try (PreparedStatement p = c.prepareStatement("""
                            SELECT DISTINCT ON (path) path, file_size_bytes, file_mtime, analysis_version < %d
                              FROM import_failures WHERE path = ANY(?) ORDER BY path, id DESC"""
                            .formatted(ANALYSIS_VERSION))) {
                        p.setArray(1, c.createArrayOf("text", unknown.toArray()));
                        try (ResultSet rs = p.executeQuery()) {
                            while (rs.next()) {
                                OffsetDateTime mtime = rs.getObject(3, OffsetDateTime.class);
                                long size = rs.getLong(2);
                                // an older reader's verdict is not this one's: read it again
                                if (!rs.wasNull() && mtime != null && !rs.getBoolean(4)) {
                                    known.put(rs.getString(1), new Known(0, size, mtime.toInstant(), false, false));
                                }
                            }
                        }
                    }
                }
                return known;
            } catch (SQLException e) {
                closeWalkerConnection();
                if (attempt >= 3 || !BatchWriter.isRetryable(String.valueOf(e.getSQLState()))) {
                    throw new CatalogException("could not look up known paths: " + e.getMessage(), e);
                }
            }
        }
    }

    /** Unchanged files at paths marked missing are back: clear the marks. */
    private void revive(List<String> paths) {
        try {
            Connection c = walkerConnection();
            long[] ids;
            try (PreparedStatement p = c.prepareStatement("""
                    WITH back AS (
                        UPDATE file_locations SET missing_since = NULL, last_seen_at = now()
                         WHERE path = ANY(?) RETURNING file_id),
                    revived AS (
                        UPDATE files f SET missing_since = NULL, updated_at = now()
                          FROM (SELECT DISTINCT file_id FROM back) b
                         WHERE f.id = b.file_id AND f.missing_since IS NOT NULL)
                    -- every file with a location back, not only those that were missing as a whole:
                    -- the details show each location's mark
                    SELECT DISTINCT file_id FROM back""")) {
                p.setArray(1, c.createArrayOf("text", paths.toArray()));
                List<Long> back = new ArrayList<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        back.add(rs.getLong(1));
                    }
                }
                ids = back.stream().mapToLong(Long::longValue).toArray();
            }
            if (ids.length > 0) {
                // a file back at a location other than its primary path takes it in the end phase
                for (long id : ids) {
                    repathed.add(id);
                }
                changes.filesChanged(ids);
            }
        } catch (SQLException e) {
            throw new CatalogException("could not clear missing marks: " + e.getMessage(), e);
        }
    }

    // ---- analyse -------------------------------------------------------------------------

    private void analyse(Candidate c, long previousFileId) {
        try {
            if (stopped()) {
                return;
            }
            byte[] content = disk.read(c.path());
            bytes.addAndGet(content.length);
            MidiAnalysis analysis = analyzer.apply(content);
            String fileName = String.valueOf(c.path().getFileName());
            PathFacts facts = intelligence.read(folder(c.path().getParent()), fileName);
            ValueResolver.Resolved resolved = ValueResolver.resolve(analysis, facts);
            add(StagedRow.of(c.key(), fileName, c.size(), c.mtime(), previousFileId, analysis, facts, resolved));
        } catch (MidiFormatException e) {
            // the bytes are the failure: the same size and mtime would fail again, so a re-import
            // skips the file until it changes
            fail(c.key(), "not a readable MIDI file: " + e.getMessage(), c.size(), c.mtime());
        } catch (IOException e) {
            // permissions, a share that went away, a file replaced while walking: none of that
            // changes the size or mtime, so no size and mtime, and the next import reads it again
            fail(c.key(), "unreadable file: " + e, -1, null);
        } catch (Throwable e) {
            // an Error too (a stack overflow in the analyser, OutOfMemoryError): the pool would
            // drop it silently and the file would be missing from every count
            LOG.warn("analysis of {} failed", c.key(), e);
            fail(c.key(), "analysis failed: " + e, -1, null);
        } finally {
            inFlight.release();
        }
    }

    /**
     * What the folder says (see {@link PathIntelligence#folder}), read once for the files of a
     * folder: the walk hands them out one folder after another, so the last folder is enough.
     */
    private PathIntelligence.Folder folder(@Nullable Path parent) {
        LastFolder last = lastFolder;
        if (last != null && java.util.Objects.equals(last.path(), parent)) {
            return last.folder();
        }
        List<String> folders = new ArrayList<>();
        if (parent != null && parent.startsWith(root) && !parent.equals(root)) {
            for (Path part : root.relativize(parent)) {
                folders.add(part.toString());
            }
        }
        PathIntelligence.Folder folder = intelligence.folder(folders);
        lastFolder = new LastFolder(parent, folder);
        return folder;
    }

    private void add(StagedRow row) {
        synchronized (batchLock) {
            // same content, same writer (see the class comment)
            int writer = Math.floorMod(java.util.Arrays.hashCode(row.hash()), rows.size());
            List<StagedRow> part = rows.get(writer);
            part.add(row);
            if (part.size() >= options.batchSize()) {
                handOff(writer);
            }
        }
    }

    private void fail(String path, String reason, long size, @Nullable Instant mtime) {
        synchronized (batchLock) {
            failures.add(new BatchWriter.Failed(new ImportFailure(path, reason), size, mtime));
            if (failures.size() >= options.batchSize()) {
                handOff(0);
            }
        }
    }

    /** Passes a writer its current batch (with the failures so far); blocks while its queue is full. */
    private void handOff(int writer) {
        synchronized (batchLock) {
            List<StagedRow> part = rows.get(writer);
            if (part.isEmpty() && failures.isEmpty()) {
                return;
            }
            BatchWriter.Batch batch = new BatchWriter.Batch(part, failures);
            rows.set(writer, new ArrayList<>());
            failures = new ArrayList<>();
            try {
                queues.get(writer).put(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                interrupted();
            }
        }
    }

    // ---- write ---------------------------------------------------------------------------

    private void writeLoop(BlockingQueue<BatchWriter.Batch> queue) {
        try (BatchWriter writer = new BatchWriter(dataSource, batchId, emptyCatalog)) {
            while (true) {
                BatchWriter.Batch batch = queue.take();
                if (batch == POISON) {
                    return;
                }
                if (stopped()) {
                    continue; // drain: nothing more is written after a cancel or an error
                }
                try {
                    BatchWriter.Outcome outcome = writer.write(batch);
                    committed(batch, outcome);
                } catch (Throwable e) {
                    // an Error too: a writer that died would leave the walker blocked on its full
                    // queue for ever. Recorded, the import fails and this loop drains to the poison
                    LOG.error("import batch failed for good", e);
                    fatal.compareAndSet(null, e);
                }
            }
        } catch (InterruptedException | RuntimeException | Error e) {
            fatal.compareAndSet(null, e);
        }
    }

    private void committed(BatchWriter.Batch batch, BatchWriter.Outcome outcome) {
        imported.addAndGet(outcome.added().length);
        updated.addAndGet(outcome.updated().length);
        moved.addAndGet(outcome.moved().length);
        duplicates.addAndGet(outcome.duplicates());
        unchanged.addAndGet(outcome.unchanged());
        for (long id : outcome.unrefreshed()) {
            unrefreshed.add(id);
        }
        for (long id : outcome.repathed()) {
            repathed.add(id);
        }
        List<ImportFailure> all = new ArrayList<>();
        batch.failures().forEach(f -> all.add(f.failure()));
        all.addAll(outcome.rowFailures());
        failed.addAndGet(all.size());
        synchronized (firstFailures) {
            for (ImportFailure f : all) {
                if (firstFailures.size() < ImportResult.MAX_FAILURES) {
                    firstFailures.add(f);
                }
            }
        }
        if (outcome.added().length > 0) {
            changes.filesAdded(outcome.added());
        }
        long[] changedFiles = java.util.stream.Stream.of(outcome.updated(), outcome.moved(), outcome.changed())
                .flatMapToLong(java.util.Arrays::stream).toArray();
        if (changedFiles.length > 0) {
            changes.filesChanged(changedFiles);
        }
        synchronized (listenerLock) {
            for (ImportFailure f : all) {
                listener.failed(listenerPath(f.path()), f.reason());
            }
        }
        notifyProgress(progress());
    }

    /**
     * A failure's path for the listener. A name the JVM's file name encoding cannot decode has
     * U+FFFD in its text, which an encoding without it (ASCII under LANG=C) cannot make a path of:
     * the listener gets '?' there (the reason tells the name's bytes).
     */
    private static Path listenerPath(String path) {
        try {
            return Path.of(path);
        } catch (java.nio.file.InvalidPathException e) {
            return Path.of(path.replace('\uFFFD', '?'));
        }
    }

    // ---- end -----------------------------------------------------------------------------

    /**
     * Locations under the root not seen by this walk (and not written by anyone since it began)
     * are marked missing, but none at or under a path the walk could not visit; moved files take their new path; files with no location left are
     * marked missing. A file whose primary path is no longer one of its present locations takes
     * its newest present location: its old path went missing now, or a batch gave its path to other
     * content while another writer's batch was adding its new location, not yet committed where the
     * first batch looked (the first batch then stranded it as missing).
     */
    private Set<Long> markMissing() throws SQLException {
        String prefix = root.toString().endsWith("/") ? root.toString() : root + "/";
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            List<String> gone = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("""
                    SELECT path FROM file_locations
                     WHERE (starts_with(path, ?) OR path = ?) AND missing_since IS NULL AND last_seen_at < ?""")) {
                p.setFetchSize(10_000);
                p.setString(1, prefix);
                p.setString(2, root.toString());
                p.setTimestamp(3, runStart);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        String path = rs.getString(1);
                        if (!walked.contains(LongHashSet.hash(path)) && !underUnvisited(path)) {
                            gone.add(path);
                        }
                    }
                }
            }
            List<Long> affected = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("""
                    UPDATE file_locations SET missing_since = now()
                     WHERE path = ANY(?) AND missing_since IS NULL AND last_seen_at < ?
                    RETURNING file_id""")) {
                for (int from = 0; from < gone.size(); from += 10_000) {
                    List<String> part = gone.subList(from, Math.min(gone.size(), from + 10_000));
                    p.setArray(1, c.createArrayOf("text", part.toArray()));
                    p.setTimestamp(2, runStart);
                    try (ResultSet rs = p.executeQuery()) {
                        while (rs.next()) {
                            missing.incrementAndGet();
                            affected.add(rs.getLong(1));
                        }
                    }
                }
            }
            affected.addAll(repathed);
            long[] ids = affected.stream().mapToLong(Long::longValue).distinct().toArray();
            Set<Long> repointed = new HashSet<>(unrefreshed);
            if (ids.length > 0) {
                try (PreparedStatement p = c.prepareStatement("""
                        WITH present AS (
                            SELECT DISTINCT ON (l.file_id) l.file_id, l.path, l.first_seen_at
                              FROM file_locations l
                             WHERE l.file_id = ANY(?) AND l.missing_since IS NULL
                             ORDER BY l.file_id, l.first_seen_at DESC, l.path)
                        UPDATE files f SET filepath = p.path, filename = regexp_replace(p.path, '^.*/', ''),
                               missing_since = NULL, updated_at = now()
                          FROM present p
                         WHERE f.id = p.file_id
                           AND NOT EXISTS (SELECT 1 FROM file_locations o
                                            WHERE o.path = f.filepath AND o.file_id = f.id AND o.missing_since IS NULL)
                        RETURNING p.first_seen_at >= ?, f.id""")) {
                    p.setArray(1, c.createArrayOf("bigint", box(ids)));
                    p.setTimestamp(2, runStart);
                    try (ResultSet rs = p.executeQuery()) {
                        while (rs.next()) {
                            repointed.add(rs.getLong(2));
                            if (rs.getBoolean(1)) {
                                // found at a path new in this run: counted as a duplicate, it was a move
                                moved.incrementAndGet();
                                duplicates.decrementAndGet();
                            }
                        }
                    }
                }
                try (PreparedStatement p = c.prepareStatement("""
                        UPDATE files f SET missing_since = now(), updated_at = now()
                         WHERE f.id = ANY(?) AND f.missing_since IS NULL
                           AND NOT EXISTS (SELECT 1 FROM file_locations l WHERE l.file_id = f.id AND l.missing_since IS NULL)""")) {
                    p.setArray(1, c.createArrayOf("bigint", box(ids)));
                    p.executeUpdate();
                }
            }
            c.commit();
            if (ids.length > 0) {
                changes.filesChanged(ids);
            }
            return repointed;
        }
    }

    /**
     * After the missing marks are committed: files that took another primary path get that path's
     * values ({@link #refreshFromPaths}), outside any transaction while their files are read, then
     * in one short transaction per chunk, so no row stays locked during the reads. Nothing is read
     * or run for an import without moves. Stops when the import is cancelled; the files not
     * reached keep their old path's values.
     *
     * @return false when a cancel cut it short
     */
    private boolean refreshMoved(Set<Long> fileIds) throws SQLException {
        if (fileIds.isEmpty()) {
            return true;
        }
        int refreshed = refreshFromPaths(fileIds);
        LOG.debug("{} moved files refreshed after {} s", refreshed, seconds());
        return !refreshCutShort;
    }

    /**
     * Gives files that took another primary path without this import analysing it (the walk saw it
     * unchanged, another batch analysed it, or its old path went missing only now) what a fresh
     * import of that path stores: reads and analyses each file again at its path, on
     * {@code threads} threads, a batch of files at a time (their paths too, so memory stays one
     * batch's), with no transaction open, and hands each batch's rows to
     * {@link BatchWriter#refreshFromPaths} in a short transaction of its own. A second read of each moved
     * file: its stored values cannot be recombined with the new path's hints (ValueResolver needs
     * the content's own confidences, which a name hint overrides in what is stored). A file under
     * another import root keeps its values (its names mean what that root's import made of them),
     * and so does one that cannot be read now (a warning).
     *
     * @return how many files were refreshed
     */
    private int refreshFromPaths(Set<Long> fileIds) throws SQLException {
        // a chunk of files at a time, paths included: a mass reorganisation holds one chunk in memory
        long[] all = fileIds.stream().mapToLong(Long::longValue).sorted().toArray();
        int refreshed = 0;
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(options.threads(), all.length),
                named("midi-import-reread"));
        try {
            for (int from = 0; from < all.length; from += options.batchSize()) {
                if (stopped()) {
                    refreshCutShort = true;
                    break;
                }
                long[] chunk = java.util.Arrays.copyOfRange(all, from, Math.min(all.length, from + options.batchSize()));
                List<Long> ids = new ArrayList<>();
                List<java.util.concurrent.Future<@Nullable StagedRow>> reads = new ArrayList<>();
                try (Connection c = dataSource.getConnection();
                     PreparedStatement p = c.prepareStatement(
                             "SELECT id, filepath FROM files WHERE id = ANY(?) AND missing_since IS NULL")) {
                    c.setAutoCommit(true);
                    p.setArray(1, c.createArrayOf("bigint", box(chunk)));
                    try (ResultSet rs = p.executeQuery()) {
                        while (rs.next()) {
                            Path path = Path.of(rs.getString(2));
                            if (path.startsWith(root)) {
                                ids.add(rs.getLong(1));
                                reads.add(pool.submit(() -> reanalyse(path)));
                            }
                        }
                    }
                }
                List<StagedRow> rows = new ArrayList<>();
                List<Long> read = new ArrayList<>();
                for (int i = 0; i < reads.size(); i++) {
                    StagedRow row = reads.get(i).get();
                    if (row != null) {
                        rows.add(row);
                        read.add(ids.get(i));
                    }
                }
                if (!rows.isEmpty()) {
                    // the statement checks each file still has that path and content, so what
                    // changed since the read (another import, an edit) is left alone
                    List<Long> done;
                    try (Connection c = dataSource.getConnection()) {
                        c.setAutoCommit(false);
                        done = BatchWriter.refreshFromPaths(c, rows, read.stream().mapToLong(Long::longValue).toArray());
                        c.commit();
                    }
                    if (!done.isEmpty()) {
                        changes.filesChanged(done.stream().mapToLong(Long::longValue).toArray());
                    }
                    refreshed += done.size();
                }
            }
        } catch (InterruptedException e) {
            // the flag is restored by run() once the batch row is closed: set now, it would make
            // the pool refuse that last connection
            throw new SQLException("interrupted while reading moved files again", "57014", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new SQLException("reading moved files again failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return refreshed;
    }

    /** A staging row of a file at its path, or null (with a warning) when it cannot be read now. */
    private @Nullable StagedRow reanalyse(Path file) {
        if (stopped()) {
            refreshCutShort = true;
            return null; // cancelled: the files not read yet keep their old path's values
        }
        try {
            if (Files.size(file) > options.maxFileSize()) {
                LOG.warn("{} moved, but is now larger than maxFileSize: it keeps the names and values of its old path", file);
                return null;
            }
            byte[] content = disk.read(file);
            MidiAnalysis analysis = analyzer.apply(content);
            String fileName = String.valueOf(file.getFileName());
            PathFacts facts = intelligence.read(folder(file.getParent()), fileName);
            return StagedRow.of(file.toString(), fileName, content.length, null, 0, analysis, facts,
                    ValueResolver.resolve(analysis, facts));
        } catch (Throwable e) { // an Error too (OutOfMemoryError): one file's values, not the import
            LOG.warn("{} moved, but could not be read again ({}): it keeps the names and values of its old path",
                    file, e.toString());
            return null;
        }
    }

    private static Long[] box(long[] ids) {
        Long[] out = new Long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = ids[i];
        }
        return out;
    }

    private void openBatch() {
        String json = String.format(Locale.ROOT,
                "{\"threads\":%d,\"writers\":%d,\"batchSize\":%d,\"manufacturerDepth\":%d,\"collectionDepth\":%d,\"followSymlinks\":%b,\"deferIndexes\":%b,\"maxFileSize\":%d}",
                options.threads(), options.writers(), options.batchSize(), options.manufacturerDepth(),
                options.collectionDepth(), options.followSymlinks(), options.deferIndexes(), options.maxFileSize());
        try (Connection c = dataSource.getConnection();
             PreparedStatement p = c.prepareStatement(
                     "INSERT INTO import_batches (root, options) VALUES (?, ?::jsonb) RETURNING id, now()")) {
            c.setAutoCommit(true);
            p.setString(1, root.toString());
            p.setString(2, json);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                batchId = rs.getLong(1);
                runStart = rs.getTimestamp(2);
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                    SELECT NOT EXISTS (SELECT 1 FROM files) AND NOT EXISTS (SELECT 1 FROM file_locations)
                       AND NOT EXISTS (SELECT 1 FROM import_failures)""")) {
                rs.next();
                emptyCatalog = rs.getBoolean(1);
            }
            if (!emptyCatalog) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT EXISTS (SELECT 1 FROM files_outdated)")) {
                    rs.next();
                    outdatedFiles = rs.getBoolean(1);
                }
            }
        } catch (SQLException e) {
            throw new CatalogException("could not start an import of " + root + ": " + e.getMessage(), e);
        }
    }

    private void closeBatch(String status, @Nullable Throwable error) throws SQLException {
        ImportProgress p = progress();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement u = c.prepareStatement("""
                    UPDATE import_batches SET status = ?, seen = ?, imported = ?, duplicates = ?, unchanged = ?,
                           updated = ?, moved = ?, missing = ?, failed = ?, bytes = ?, finished_at = now(), error = ?
                     WHERE id = ?""")) {
                u.setString(1, status);
                u.setLong(2, p.seen());
                u.setLong(3, p.imported());
                u.setLong(4, p.duplicates());
                u.setLong(5, p.unchanged());
                u.setLong(6, p.updated());
                u.setLong(7, p.moved());
                u.setLong(8, p.missing());
                u.setLong(9, p.failed());
                u.setLong(10, p.bytes());
                u.setString(11, error == null ? null : String.valueOf(error.getMessage()));
                u.setLong(12, batchId);
                u.executeUpdate();
            }
            // after a deferral's restore, which analysed beside its key checks, only if much went missing
            long changed = analysed ? p.missing() : p.imported() + p.updated() + p.moved() + p.missing();
            if (error == null && changed >= ANALYZE_THRESHOLD) {
                try (Statement s = c.createStatement()) {
                    // fresh statistics after a big change, so searches plan on the new sizes. Only the
                    // tables queries filter on: the others are read by file id alone, and their
                    // ANALYZE cost as much again (musical_metadata 0.61 s of 1.48 s at 100K files);
                    // autovacuum analyses them in its own time
                    s.execute(ANALYZE_FILES);
                    s.execute("ANALYZE file_locations");
                }
            }
        }
    }

    // ---- helpers -------------------------------------------------------------------------

    private double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    private boolean cancelled() {
        return options.cancellation() != null && options.cancellation().isCancelled();
    }

    private boolean stopped() {
        return cancelled() || fatal.get() != null;
    }

    ImportProgress progress() {
        return new ImportProgress(seen.get(), imported.get(), Math.max(0, duplicates.get()), unchanged.get(),
                updated.get(), moved.get(), missing.get(), failed.get(), bytes.get(),
                (System.nanoTime() - started) / 1e9);
    }

    private void notifyProgress(ImportProgress p) {
        synchronized (listenerLock) {
            try {
                listener.progress(p);
            } catch (RuntimeException e) {
                LOG.warn("import listener failed", e);
            }
        }
    }

    private Connection walkerConnection() throws SQLException {
        if (walkerConnection == null || walkerConnection.isClosed()) {
            walkerConnection = dataSource.getConnection();
            walkerConnection.setAutoCommit(true);
        }
        return walkerConnection;
    }

    private void closeWalkerConnection() {
        if (walkerConnection != null) {
            try {
                walkerConnection.close();
            } catch (SQLException e) {
                LOG.debug("closing the walker connection failed", e);
            }
            walkerConnection = null;
        }
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
