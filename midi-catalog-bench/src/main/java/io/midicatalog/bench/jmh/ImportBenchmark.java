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
import java.lang.management.ManagementFactory;
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
import org.jspecify.annotations.Nullable;

/**
 * End-to-end import measurement (not a JMH loop: one import of a large tree is the unit): a
 * generated library on disk is imported into a fresh catalog with every index of the migrations in
 * place, by our importer (with its default options, and with {@code deferIndexes}) and the guide's
 * way, in the same run against the same server, each into a database of its own.
 *
 * <p>The guide's way: the same walk, read and analysis on all cores, then one writer connection
 * doing, per file, {@code SELECT COUNT(*) FROM files WHERE content_hash = ?} and, for new content,
 * a single-row {@code INSERT INTO files ... RETURNING id} followed by single-row inserts of its
 * {@code musical_metadata} and {@code file_locations} rows; 500 files per transaction.
 *
 * <p>Before the variants, a JIT warm-up imports the library twice into scratch databases
 * ({@code -DnoWarmup=true} skips it), so the variant that runs first does not pay for compiling
 * the reader and the importer.
 *
 * <p>Besides wall time it reports the CPU each variant used, of this JVM and (when the server
 * runs on this machine) of PostgreSQL's processes: on a machine shared with other work the CPU
 * seconds say what an import costs better than the wall time does.
 *
 * <p>Run: {@code java -Xmx512m -cp midi-catalog-bench/target/benchmarks.jar
 * io.midicatalog.bench.jmh.ImportBenchmark DIR FILES [SEED] [VARIANTS]} where VARIANTS is
 * {@code both} (default: ours, ours with deferIndexes, and the guide's way) or a comma-separated
 * list of {@code ours}, {@code defer}, {@code guide} (the library is generated into DIR when DIR
 * has no manifest). Server: {@code MIDI_CATALOG_PG_URL} or a fresh embedded PostgreSQL 17 (which
 * runs with {@code fsync=off}, {@code synchronous_commit=off}, {@code full_page_writes=off}).
 * {@code -Dwriters=N}, {@code -DbatchSize=N}, {@code -Dthreads=N} change our importer's options.
 */
public final class ImportBenchmark {
    private static final int GUIDE_BATCH = 500;

    private ImportBenchmark() {}

    /** One variant's figures; PostgreSQL CPU is NaN when the server's processes are not visible. */
    private record Figures(String variant, long files, double seconds, double jvmCpu, double pgCpu, String load) {
        double filesPerSecond() {
            return files / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ImportBenchmark DIR FILES [SEED] [both|ours,defer,guide]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int files = Integer.parseInt(args[1]);
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        String which = args.length > 3 ? args[3] : "both";
        List<String> variants = which.equals("both") ? List.of("ours", "defer", "guide") : List.of(which.split(","));
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
        // read the tree once so every run starts with the same (warm) page cache
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).forEach(p -> {
                try {
                    Files.readAllBytes(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        System.out.printf(Locale.ROOT, "library: %s, %,d .mid files, heap max %d MB, %d cores%n", dir, onDisk,
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
        List<Figures> results = new java.util.ArrayList<>();
        try (PostgresServer server = PostgresProvisioning.start(PostgresProvisioning.Options.defaults())) {
            System.out.println("server: " + server.kind() + " " + server.version() + ", " + settings(server.dataSource()));
            if (!Boolean.getBoolean("noWarmup")) {
                warmUp(server, dir);
            }
            for (String variant : variants) {
                Figures figures = switch (variant) {
                    case "ours" -> ours(server, dir, false);
                    case "defer" -> ours(server, dir, true);
                    case "guide" -> guide(server, dir);
                    default -> throw new IllegalArgumentException("no variant " + variant + " (ours, defer, guide)");
                };
                results.add(figures);
            }
        }
        summary(results);
    }

    private static void summary(List<Figures> results) {
        Figures guide = results.stream().filter(f -> f.variant().equals("guide")).findFirst().orElse(null);
        System.out.println();
        System.out.println("| variant | files | seconds | files/s | vs guide | JVM CPU s | PostgreSQL CPU s | CPU us/file | load avg (start -> end) |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---|");
        for (Figures f : results) {
            double cpu = f.jvmCpu() + (Double.isNaN(f.pgCpu()) ? 0 : f.pgCpu());
            System.out.printf(Locale.ROOT, "| %s | %,d | %.2f | %,.0f | %s | %.1f | %s | %.0f | %s |%n", f.variant(), f.files(),
                    f.seconds(), f.filesPerSecond(),
                    guide == null ? "-" : String.format(Locale.ROOT, "%.1fx", f.filesPerSecond() / guide.filesPerSecond()),
                    f.jvmCpu(), Double.isNaN(f.pgCpu()) ? "-" : String.format(Locale.ROOT, "%.1f", f.pgCpu()),
                    cpu * 1e6 / f.files(), f.load());
        }
    }

    private static Figures ours(PostgresServer server, Path dir, boolean defer) {
        String variant = defer ? "defer" : "ours";
        String db = server.createDatabase("bench_import_" + variant);
        try (MidiCatalog catalog = MidiCatalog.builder().jdbcUrl(server.jdbcUrl(db)).username(server.username())
                .password(server.password()).poolProfile(PoolProfile.IMPORT_HEAVY).build()) {
            catalog.migrate();
            String setup = System.getProperty("setupSql");
            if (setup != null) {
                // experiments: e.g. -DsetupSql="ALTER INDEX files_doc_tsv SET (fastupdate = off)"
                execute(catalog.dataSource(), setup);
            }
            int indexes = indexes(catalog.dataSource());
            ImportOptions options = ImportOptions.builder()
                    .writers(Integer.getInteger("writers", ImportOptions.defaults().writers()))
                    .batchSize(Integer.getInteger("batchSize", ImportOptions.defaults().batchSize()))
                    .threads(Integer.getInteger("threads", ImportOptions.defaults().threads()))
                    .deferIndexes(defer).build();
            System.out.println(variant + " options: " + options);
            Meter meter = new Meter(catalog.dataSource());
            ImportResult result = catalog.importer().importDirectory(dir, options);
            Figures figures = meter.stop(variant, result.counts().seen());
            System.out.printf(Locale.ROOT, "%s: %,d files (%,d new, %,d duplicates, %,d failed) in %.2f s = %,.0f files/s;"
                    + " indexes on the catalog's tables %d before, %d after%n", variant, result.counts().seen(),
                    result.counts().imported(), result.counts().duplicates(), result.counts().failed(), figures.seconds(),
                    figures.filesPerSecond(), indexes, indexes(catalog.dataSource()));
            if (!defer) {
                long start2 = System.nanoTime();
                ImportResult again = catalog.importer().importDirectory(dir, ImportOptions.defaults());
                double seconds2 = (System.nanoTime() - start2) / 1e9;
                System.out.printf(Locale.ROOT, "ours, re-import: %,d unchanged of %,d in %.2f s = %,.0f files/s%n",
                        again.counts().unchanged(), again.counts().seen(), seconds2, again.counts().seen() / seconds2);
            }
            return figures;
        } finally {
            // an idle database left behind would still be vacuumed while the next variant runs
            execute(server.dataSource(), "DROP DATABASE " + db);
        }
    }

    /**
     * Imports the whole library twice into scratch databases (with {@code deferIndexes}, the
     * quicker way), so that no variant pays the JIT compilation of the reader and the importer:
     * a cold JVM used about 3.5-4 s more CPU on the first 100K-file import, and the JVM still used
     * 1.5-2.5 s more on the import after that than on later ones. Both figures are printed.
     */
    private static void warmUp(PostgresServer server, Path dir) {
        for (String round : List.of("cold JVM", "second")) {
            String db = server.createDatabase("bench_import_warmup");
            try (MidiCatalog catalog = new MidiCatalog(server.dataSource(db))) {
                catalog.migrate();
                long start = System.nanoTime();
                ImportResult result = catalog.importer().importDirectory(dir,
                        ImportOptions.builder().deferIndexes(true).build());
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "JIT warm-up (%s, deferIndexes): %,d files in %.2f s = %,.0f files/s%n",
                        round, result.counts().seen(), seconds, result.counts().seen() / seconds);
            } finally {
                execute(server.dataSource(), "DROP DATABASE " + db);
            }
        }
    }

    private static int indexes(DataSource ds) {
        try (Connection c = ds.getConnection(); java.sql.Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT count(*) FROM pg_index WHERE indrelid IN ('files'::regclass, 'file_locations'::regclass,
                         'musical_metadata'::regclass, 'file_categories'::regclass, 'file_instruments'::regclass)""")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String settings(DataSource ds) {
        try (Connection c = ds.getConnection(); java.sql.Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT string_agg(name || '=' || setting, ' ' ORDER BY name) FROM pg_settings
                      WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers',
                                     'max_wal_size', 'maintenance_work_mem')""")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void execute(DataSource ds, String sql) {
        try (Connection c = ds.getConnection(); java.sql.Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Wall time, this JVM's CPU and PostgreSQL's CPU from its start to {@link #stop}. */
    private static final class Meter {
        private final long start = System.nanoTime();
        private final long jvmStart = jvmCpu();
        private final @Nullable ServerCpu server;
        private final double serverStart;
        private final String loadStart = load();

        Meter(DataSource ds) {
            server = ServerCpu.of(ds);
            serverStart = server == null ? Double.NaN : server.seconds();
        }

        Figures stop(String variant, long files) {
            double seconds = (System.nanoTime() - start) / 1e9;
            double jvm = (jvmCpu() - jvmStart) / 1e9;
            double pg = server == null ? Double.NaN : server.seconds() - serverStart;
            return new Figures(variant, files, seconds, jvm, pg, loadStart + " -> " + load());
        }

        private static long jvmCpu() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }

        private static String load() {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    /** A file analysed for the guide's writer. */
    private record Analysed(Path path, long size, MidiAnalysis analysis) {}

    private static final Analysed END = new Analysed(Path.of("."), 0, null);

    private static Figures guide(PostgresServer server, Path dir) throws Exception {
        String db = server.createDatabase("bench_import_guide");
        try {
            return guide(server.dataSource(db), dir);
        } finally {
            execute(server.dataSource(), "DROP DATABASE " + db);
        }
    }

    private static Figures guide(DataSource ds, Path dir) throws Exception {
        new MidiCatalog(ds).migrate();
        Meter meter = new Meter(ds);
        BlockingQueue<Analysed> queue = new ArrayBlockingQueue<>(4096);
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return Files.isRegularFile(p) && (n.endsWith(".mid") || n.endsWith(".midi"));
            }).toList();
        }
        int threads = ImportOptions.DEFAULT_THREADS; // as ours: the per-file statements are its bottleneck either way
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
        long done = inserted + duplicates;
        Figures figures = meter.stop("guide", done);
        System.out.printf(Locale.ROOT, "guide: %,d files (%,d new, %,d duplicates) in %.2f s = %,.0f files/s%n",
                done, inserted, duplicates, figures.seconds(), figures.filesPerSecond());
        return figures;
    }
}
