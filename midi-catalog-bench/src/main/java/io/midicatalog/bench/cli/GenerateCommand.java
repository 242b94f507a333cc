package io.midicatalog.bench.cli;

import io.midicatalog.PoolProfile;
import io.midicatalog.bench.generate.CatalogRowGenerator;
import io.midicatalog.bench.generate.MidiFileGenerator;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code generate DIR --files N [--seed S]} writes a synthetic producer-pack library of real .mid
 * files plus {@code manifest.csv}; {@code generate --rows N [--database-url URL]} writes N catalog
 * rows straight into the database (no files) for search benchmarks.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Generate a synthetic MIDI library: .mid files in DIR (--files), or catalog rows in the database (--rows)."})
public final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions database;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Directory to write .mid files into (files mode).")
    @Nullable Path directory;

    @Option(names = "--files", paramLabel = "N", description = "Number of distinct files to write (copies and corrupt files come on top).")
    @Nullable Long files;

    @Option(names = "--rows", paramLabel = "N", description = "Number of catalog rows to write into the database (no files).")
    @Nullable Long rows;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", paramLabel = "N", description = "Writer threads in files mode (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--json", description = "Print the summary as one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if ((files == null) == (rows == null)) {
            throw new IllegalArgumentException("give exactly one of --files N (with DIR) and --rows N");
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        if (rows != null) {
            if (rows <= 0) {
                throw new IllegalArgumentException("--rows must be positive: " + rows);
            }
            try (DatabaseOptions.Session session = database.open(PoolProfile.IMPORT_HEAVY)) {
                CatalogRowGenerator.Result result = CatalogRowGenerator.generate(session.catalog().dataSource(), rows, seed,
                        done -> spec.commandLine().getErr().print("\rrows " + done + " / " + rows));
                spec.commandLine().getErr().println();
                summary.put("rows", result.files());
                summary.put("locations", result.locations());
                summary.put("firstId", result.firstId());
                summary.put("lastId", result.lastId());
                summary.put("seconds", result.seconds());
                summary.put("rowsPerSecond", Math.round(result.files() / result.seconds()));
            }
        } else {
            if (directory == null) {
                throw new IllegalArgumentException("--files needs a DIR to write into");
            }
            if (files <= 0 || files > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("--files must be 1-" + Integer.MAX_VALUE + ": " + files);
            }
            MidiFileGenerator.Result result = MidiFileGenerator.generate(directory, files.intValue(), seed, threads);
            summary.put("directory", directory.toAbsolutePath().toString());
            summary.put("distinct", result.distinct());
            summary.put("copies", result.copies());
            summary.put("nearDuplicates", result.nearDuplicates());
            summary.put("corrupt", result.corrupt());
            summary.put("total", result.total());
            summary.put("bytes", result.bytes());
            summary.put("manifest", result.manifest().toString());
            summary.put("seconds", result.seconds());
            summary.put("filesPerSecond", Math.round(result.total() / result.seconds()));
        }
        if (json) {
            spec.commandLine().getOut().println(Json.MAPPER.writeValueAsString(summary));
        } else {
            summary.forEach((k, v) -> spec.commandLine().getOut().println(k + ": " + v));
        }
        return 0;
    }
}
