package io.midicatalog.bench.profile;

import io.midicatalog.MidiCatalog;
import io.midicatalog.api.ImportListener;
import io.midicatalog.api.ImportOptions;
import io.midicatalog.api.ImportProgress;
import io.midicatalog.api.ImportResult;
import io.midicatalog.bench.generate.MidiFileGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Real MIDI files through the real importer: a directory given with {@code --import}, or
 * {@code files} .mid files the generator writes to a temporary directory first (deleted after).
 * The throughput is the import step's own files/s (generation excluded).
 */
public final class ImporterLibrary implements LibrarySource {
    private final @Nullable Path directory;
    private final int files;

    private ImporterLibrary(@Nullable Path directory, int files) {
        this.directory = directory;
        this.files = files;
    }

    /** Imports an existing directory. */
    public static ImporterLibrary of(Path directory) {
        return new ImporterLibrary(directory, 0);
    }

    /** Generates {@code files} files (seed {@link GeneratedRowsLibrary#SEED}) and imports them. */
    public static ImporterLibrary generated(int files) {
        if (files < 1) {
            throw new IllegalArgumentException("files must be positive: " + files);
        }
        return new ImporterLibrary(null, files);
    }

    @Override
    public ImportThroughput fill(MidiCatalog catalog, Progress progress) throws IOException {
        Path root = directory;
        Path temporary = null;
        if (root == null) {
            temporary = Files.createTempDirectory("midi-catalog-profile-");
            root = temporary;
            progress.step("generating %,d MIDI files in %s", files, root);
            MidiFileGenerator.generate(root, files, GeneratedRowsLibrary.SEED, Runtime.getRuntime().availableProcessors());
        }
        try {
            progress.step("importing %s", root);
            long[] lastReport = {System.nanoTime()};
            ImportResult result = catalog.importer().importDirectory(root, ImportOptions.defaults(), new ImportListener() {
                @Override
                public void progress(ImportProgress p) {
                    long now = System.nanoTime();
                    if (now - lastReport[0] > 2_000_000_000L) {
                        lastReport[0] = now;
                        progress.step("  imported %,d of %,d seen (%,.0f files/s)", p.imported(), p.seen(), p.filesPerSecond());
                    }
                }
            });
            ImportProgress counts = result.counts();
            return new ImportThroughput("importer", counts.seen(), result.seconds(), result.filesPerSecond(),
                    String.format(Locale.ROOT, "%s: %,d imported, %,d duplicates, %,d failed; %s", result.status(),
                            counts.imported(), counts.duplicates(), counts.failed(),
                            temporary != null ? "files generated first (not timed)" : "directory " + root));
        } finally {
            if (temporary != null) {
                try (Stream<Path> walk = Files.walk(temporary)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }
}
