package io.midicatalog.bench.profile;

import io.midicatalog.MidiCatalog;
import io.midicatalog.bench.generate.CatalogRowGenerator;

/**
 * Catalog rows written by {@link CatalogRowGenerator} (COPY, the generator's distributions, no
 * files): the stand-in for generate + import while the importer is not part of the build. Its
 * throughput is COPY of ready rows, not the import pipeline (no reading, hashing or parsing), and
 * the report labels it {@code generated-rows}.
 */
public final class GeneratedRowsLibrary implements LibrarySource {
    /** The seed of the profiled library: the same every run, so reports compare. */
    public static final long SEED = 7L;
    private final int files;

    public GeneratedRowsLibrary(int files) {
        if (files < 1) {
            throw new IllegalArgumentException("files must be positive: " + files);
        }
        this.files = files;
    }

    @Override
    public ImportThroughput fill(MidiCatalog catalog, Progress progress) {
        CatalogRowGenerator.Result result = CatalogRowGenerator.generate(catalog.dataSource(), files, SEED,
                done -> progress.step("generated rows: %,d / %,d files", done, files));
        return new ImportThroughput("generated-rows", result.files(), result.seconds(), result.files() / result.seconds(),
                "catalog rows written with COPY by CatalogRowGenerator (seed " + SEED + ", " + result.locations()
                        + " locations, metadata, instruments, tags, favorites); the importer is not part of this build,"
                        + " so this is not the import pipeline's speed");
    }
}
