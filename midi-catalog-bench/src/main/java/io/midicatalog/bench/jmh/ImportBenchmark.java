package io.midicatalog.bench.jmh;

import io.midicatalog.MidiCatalog;
import io.midicatalog.PoolProfile;
import io.midicatalog.api.ImportOptions;
import io.midicatalog.api.ImportResult;
import io.midicatalog.api.MidiFormatException;
import io.midicatalog.bench.generate.MidiFileGenerator;
import io.midicatalog.midi.MidiAnalysis;
import io.midicatalog.midi.MidiAnalyzer;
import io.midicatalog.provision.PostgresProvisioning;
import io.midicatalog.provision.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * End-to-end import measurement (not a JMH loop: one import of a large tree is the unit): a
 * generated library on disk is imported into a fresh catalog with every index of the migrations in
 * place, once by our importer and once the guide's way, in the same run against the same server.
 *
 * <p>The guide's way: the same walk, read and analysis on all cores, then one writer connection
 * doing, per file, {@code SELECT COUNT(*) FROM files WHERE content_hash = ?} and, for new content,
 * a single-row {@code INSERT INTO files ... RETURNING id} followed by single-row inserts of its
 * {@code musical_metadata} and {@code file_locations} rows; 500 files per transaction.
 *
 * <p>Run: {@code java -Xmx512m -cp midi-catalog-bench/target/benchmarks.jar
 * io.midicatalog.bench.jmh.ImportBenchmark DIR FILES [SEED] [ours|guide|both]} (the library is
 * generated into DIR when DIR has no manifest). Server: {@code MIDI_CATALOG_PG_URL} or a fresh
 * embedded PostgreSQL 17 (which runs with {@code synchronous_commit=off}). {@code -Dwriters=N},
 * {@code -DbatchSize=N}, {@code -Dthreads=N} change our importer's options.
 */
public final class ImportBenchmark {
    private static final int GUIDE_BATCH = 500;

    private ImportBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ImportBenchmark DIR FILES [SEED] [ours|guide|both]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int files = Integer.parseInt(args[1]);
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        String which = args.length > 3 ? args[3] : "both";
        if (!Files.exists(dir.resolve(MidiFileGenerator.MANIFEST))) {
            MidiFileGenerator.Result generated = MidiFileGenerator.generate(dir, files, seed,
                    Runtime.getRuntime().availableProcessors());
            System.out.printf(Locale.ROOT, "generated %,d files (%,d distinct) in %.1f s%n", generated.total(),
                    generated.distinct(), generated.seconds());
        }
        long onDisk;
        try (Stream<Path> walk = Files.walk(dir)) {
            onDisk = walk.filter(p -> p.toString().endsWith(".mid")).count();
        }
        // read the tree once so both runs start with the same (warm) page cache
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).forEach(p -> {
                try {
                    Files.readAllBytes(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        System.out.printf(Locale.ROOT, "library: %s, %,d .mid files, heap max %d MB%n", dir, onDisk,
                Runtime.getRuntime().maxMemory() >> 20);
        try (PostgresServer server = PostgresProvisioning.start(PostgresProvisioning.Options.defaults())) {
            System.out.println("server: " + server.kind() + " " + server.version());
            if (!which.equals("guide")) {
                ours(server, dir);
            }
            if (!which.equals("ours")) {
                guide(server, dir);
            }
        }
    }

    private static void ours(PostgresServer server, Path dir) {
        String db = server.createDatabase("bench_import_ours");
        try (MidiCatalog catalog = MidiCatalog.builder().jdbcUrl(server.jdbcUrl(db)).username(server.username())
                .password(server.password()).poolProfile(PoolProfile.IMPORT_HEAVY).build()) {
            catalog.migrate();
            String setup = System.getProperty("setupSql");
            if (setup != null) {
                // experiments: e.g. -DsetupSql="ALTER INDEX files_doc_tsv SET (fastupdate = off)"
                try (Connection c = catalog.dataSource().getConnection(); java.sql.Statement s = c.createStatement()) {
                    s.execute(setup);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
            long start = System.nanoTime();
            ImportOptions options = ImportOptions.builder()
                    .writers(Integer.getInteger("writers", ImportOptions.defaults().writers()))
                    .batchSize(Integer.getInteger("batchSize", ImportOptions.defaults().batchSize()))
                    .threads(Integer.getInteger("threads", ImportOptions.defaults().threads())).build();
            System.out.println("options: " + options);
            ImportResult result = catalog.importer().importDirectory(dir, options);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "ours:  %,d files (%,d new, %,d duplicates, %,d failed) in %.2f s = %,.0f files/s%n",
                    result.counts().seen(), result.counts().imported(), result.counts().duplicates(),
                    result.counts().failed(), seconds, result.counts().seen() / seconds);
            long start2 = System.nanoTime();
            ImportResult again = catalog.importer().importDirectory(dir, ImportOptions.defaults());
            double seconds2 = (System.nanoTime() - start2) / 1e9;
            System.out.printf(Locale.ROOT, "ours, re-import: %,d unchanged of %,d in %.2f s = %,.0f files/s%n",
                    again.counts().unchanged(), again.counts().seen(), seconds2, again.counts().seen() / seconds2);
        }
    }

    /** A file analysed for the guide's writer. */
    private record Analysed(Path path, long size, MidiAnalysis analysis) {}

    private static final Analysed END = new Analysed(Path.of("."), 0, null);

    private static void guide(PostgresServer server, Path dir) throws Exception {
        String db = server.createDatabase("bench_import_guide");
        DataSource ds = server.dataSource(db);
        new MidiCatalog(ds).migrate();
        long start = System.nanoTime();
        BlockingQueue<Analysed> queue = new ArrayBlockingQueue<>(4096);
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return Files.isRegularFile(p) && (n.endsWith(".mid") || n.endsWith(".midi"));
            }).toList();
        }
        int threads = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            int slice = t;
            pool.execute(() -> {
                for (int i = slice; i < paths.size(); i += threads) {
                    try {
                        byte[] bytes = Files.readAllBytes(paths.get(i));
                        queue.put(new Analysed(paths.get(i), bytes.length, MidiAnalyzer.analyze(bytes)));
                    } catch (MidiFormatException | IOException e) {
                        // failures are not the point of this baseline
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            });
        }
        pool.shutdown();
        Thread closer = new Thread(() -> {
            try {
                pool.awaitTermination(1, java.util.concurrent.TimeUnit.DAYS);
                queue.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        closer.start();
        long inserted = 0;
        long duplicates = 0;
        try (Connection c = ds.getConnection();
             PreparedStatement count = c.prepareStatement("SELECT COUNT(*) FROM files WHERE content_hash = ?");
             PreparedStatement insert = c.prepareStatement("""
                 INSERT INTO files (filepath, filename, original_filename, file_size_bytes, content_hash, format,
                     num_tracks, ticks_per_quarter, duration_seconds, bpm, key_code, category, note_count, name_words)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?) RETURNING id""");
             PreparedStatement metadata = c.prepareStatement("""
                 INSERT INTO musical_metadata (file_id, bpm_source, initial_bpm, content_bpm, detected_key_code,
                     unique_pitches, pitch_min, pitch_max) VALUES (?, 'meta', ?, ?, ?, ?, ?, ?)""");
             PreparedStatement location = c.prepareStatement("""
                 INSERT INTO file_locations (path, file_id, file_size_bytes, file_mtime) VALUES (?, ?, ?, ?)""")) {
            c.setAutoCommit(false);
            int inTransaction = 0;
            while (true) {
                Analysed a = queue.take();
                if (a == END) {
                    break;
                }
                MidiAnalysis m = a.analysis();
                count.setBytes(1, m.sha256());
                long existing;
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    existing = rs.getLong(1);
                }
                if (existing > 0) {
                    duplicates++;
                } else {
                    String name = a.path().getFileName().toString();
                    insert.setString(1, a.path().toString());
                    insert.setString(2, name);
                    insert.setString(3, name);
                    insert.setLong(4, a.size());
                    insert.setBytes(5, m.sha256());
                    insert.setInt(6, m.format());
                    insert.setInt(7, m.tracks());
                    insert.setInt(8, m.division());
                    insert.setDouble(9, m.durationSeconds());
                    insert.setFloat(10, (float) m.bpm());
                    insert.setInt(11, m.detectedKey().code());
                    insert.setInt(12, m.noteCount());
                    insert.setString(13, name);
                    long id;
                    try (ResultSet rs = insert.executeQuery()) {
                        rs.next();
                        id = rs.getLong(1);
                    }
                    metadata.setLong(1, id);
                    metadata.setFloat(2, (float) m.initialBpm());
                    metadata.setFloat(3, (float) m.bpm());
                    metadata.setInt(4, m.detectedKey().code());
                    metadata.setInt(5, m.uniquePitches());
                    metadata.setInt(6, m.pitchMin());
                    metadata.setInt(7, m.pitchMax());
                    metadata.executeUpdate();
                    location.setString(1, a.path().toString());
                    location.setLong(2, id);
                    location.setLong(3, a.size());
                    location.setTimestamp(4, new Timestamp(Files.getLastModifiedTime(a.path()).toMillis()));
                    location.executeUpdate();
                    inserted++;
                }
                if (++inTransaction == GUIDE_BATCH) {
                    c.commit();
                    inTransaction = 0;
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("guide import failed: " + e.getMessage(), e);
        }
        closer.join();
        double seconds = (System.nanoTime() - start) / 1e9;
        long done = inserted + duplicates;
        System.out.printf(Locale.ROOT, "guide: %,d files (%,d new, %,d duplicates) in %.2f s = %,.0f files/s%n",
                done, inserted, duplicates, seconds, done / seconds);
    }
}
