package io.midicatalog.bench.cli;

import io.midicatalog.PoolProfile;
import io.midicatalog.api.ImportCancellation;
import io.midicatalog.api.ImportListener;
import io.midicatalog.api.ImportOptions;
import io.midicatalog.api.ImportProgress;
import io.midicatalog.api.ImportResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code import PATH... [--database-url URL] [--threads N] [--json]}: imports folders of MIDI
 * files. A progress line on stderr, then a summary per path on stdout (one JSON object per path
 * with {@code --json}). Ctrl-C stops at the next batch boundary; committed batches stay: the
 * JVM's exit waits (at most {@link #EXIT_WAIT}) for the import to return, so it closes its batch
 * and restores deferred indexes before the database connections and the embedded server stop.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import folders of MIDI files (.mid .midi .kar .rmi .smf) into the catalog.")
public final class ImportCommand implements Callable<Integer> {
    /** How long a Ctrl-C waits for the import to stop (a batch to commit, deferred indexes to be rebuilt). */
    static final Duration EXIT_WAIT = Duration.ofSeconds(30);

    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions database;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Folders (or files) to import.")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--threads", paramLabel = "N", description = "Analysis threads (default: one more than the cores).")
    int threads = io.midicatalog.api.ImportOptions.DEFAULT_THREADS;

    @Option(names = "--writers", paramLabel = "N", defaultValue = "2", description = "Writer connections (default ${DEFAULT-VALUE}).")
    int writers;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "2000", description = "Files per transaction (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--manufacturer-depth", paramLabel = "N", defaultValue = "1",
            description = "Folder level under PATH naming the manufacturer, 0 for none (default ${DEFAULT-VALUE}).")
    int manufacturerDepth;

    @Option(names = "--collection-depth", paramLabel = "N", defaultValue = "2",
            description = "Folder level naming the collection, 0 for none (default ${DEFAULT-VALUE}).")
    int collectionDepth;

    @Option(names = "--follow-symlinks", description = "Follow symbolic links (loops are skipped).")
    boolean followSymlinks;

    @Option(names = "--defer-indexes", description = "For a very large first import: build the secondary indexes "
            + "and check foreign keys once at the end (searches are slow until then).")
    boolean deferIndexes;

    @Option(names = "--max-file-size", paramLabel = "MiB", defaultValue = "64",
            description = "Files larger than this are failures, never read (default ${DEFAULT-VALUE} MiB).")
    int maxFileSizeMiB;

    @Option(names = "--json", description = "Print one JSON summary object per PATH.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        String problem = PathArguments.problem(paths); // all of them, before the database starts
        if (problem != null) {
            spec.commandLine().getErr().println("error: " + problem);
            return 2;
        }
        ImportCancellation cancellation = new ImportCancellation();
        ImportOptions options = ImportOptions.builder().threads(threads).writers(writers).batchSize(batchSize)
                .manufacturerDepth(manufacturerDepth).collectionDepth(collectionDepth).followSymlinks(followSymlinks)
                .deferIndexes(deferIndexes).maxFileSize(fileSizeBytes()).cancellation(cancellation).build();
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        int status;
        CountDownLatch returned = new CountDownLatch(1);
        try (DatabaseOptions.Session session = database.open(PoolProfile.IMPORT_HEAVY)) {
            session.beforeExit(() -> {
                if (!cancelAndWait(cancellation, returned, EXIT_WAIT)) {
                    err.println();
                    err.println("the import did not stop within " + EXIT_WAIT.toSeconds() + " s; the next import "
                            + "completes it and rebuilds any deferred indexes");
                    err.flush();
                }
            });
            try {
                status = importEach(session, options, err, out);
            } finally {
                returned.countDown();
            }
        }
        return status;
    }

    private long fileSizeBytes() {
        if (maxFileSizeMiB < 1 || maxFileSizeMiB > ImportOptions.MAX_FILE_SIZE >> 20) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--max-file-size must be 1-" + (ImportOptions.MAX_FILE_SIZE >> 20) + " MiB: " + maxFileSizeMiB);
        }
        return (long) maxFileSizeMiB << 20;
    }

    /**
     * Cancels the import and waits until it has returned (the command counts {@code returned}
     * down), at most {@code timeout}.
     *
     * @return whether it returned in time
     */
    static boolean cancelAndWait(ImportCancellation cancellation, CountDownLatch returned, Duration timeout) {
        cancellation.cancel();
        try {
            return returned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Imports the paths in turn; the exit status (130: cancelled). */
    private int importEach(DatabaseOptions.Session session, ImportOptions options, PrintWriter err, PrintWriter out)
            throws Exception {
        for (Path path : paths) {
            ImportResult result = session.catalog().importer().importDirectory(path, options, new ImportListener() {
                @Override
                public void progress(ImportProgress p) {
                    err.print("\r" + bar(p));
                    err.flush();
                }
            });
            err.println();
            ImportProgress c = result.counts();
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("batchId", result.batchId());
            summary.put("path", path.toAbsolutePath().normalize().toString());
            summary.put("status", result.status().name().toLowerCase(Locale.ROOT));
            summary.put("seen", c.seen());
            summary.put("imported", c.imported());
            summary.put("duplicates", c.duplicates());
            summary.put("unchanged", c.unchanged());
            summary.put("updated", c.updated());
            summary.put("moved", c.moved());
            summary.put("missing", c.missing());
            summary.put("failed", c.failed());
            summary.put("bytes", c.bytes());
            summary.put("seconds", Math.round(c.seconds() * 1000) / 1000.0);
            summary.put("filesPerSecond", Math.round(c.filesPerSecond()));
            if (json) {
                out.println(Json.MAPPER.writeValueAsString(summary));
            } else {
                summary.forEach((k, v) -> out.println(k + ": " + v));
                result.failures().stream().limit(20).forEach(f -> out.println("  failed: " + f.path() + ": " + f.reason()));
                if (c.failed() > 20) {
                    out.println("  ... all failures: SELECT path, reason FROM import_failures WHERE batch_id = "
                            + result.batchId());
                }
            }
            out.flush();
            if (result.status() == ImportResult.Status.CANCELLED) {
                return 130;
            }
        }
        return 0;
    }

    static String bar(ImportProgress p) {
        long done = p.done();
        long seen = Math.max(1, p.seen());
        int width = 30;
        int filled = (int) Math.min(width, width * done / seen);
        return String.format(Locale.ROOT, "[%s%s] %,d/%,d  new %,d  dup %,d  same %,d  failed %,d  %,.0f files/s ",
                "#".repeat(filled), " ".repeat(width - filled), done, p.seen(), p.imported(), p.duplicates(),
                p.unchanged(), p.failed(), p.filesPerSecond());
    }
}
