package io.midicatalog.bench.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.midicatalog.MidiCatalog;
import io.midicatalog.PoolProfile;
import io.midicatalog.bench.profile.GeneratedRowsLibrary;
import io.midicatalog.bench.profile.ImporterLibrary;
import io.midicatalog.bench.profile.ImportThroughput;
import io.midicatalog.bench.profile.LibrarySource;
import io.midicatalog.api.MusicalKey;
import io.midicatalog.api.SearchQuery;
import io.midicatalog.bench.profile.LoadTest;
import io.midicatalog.bench.profile.LoadTestResult;
import io.midicatalog.bench.profile.MarkdownReport;
import io.midicatalog.bench.profile.ProfileReport;
import io.midicatalog.bench.profile.Progress;
import io.midicatalog.cache.CacheSpec;
import io.midicatalog.diagnostics.DiagnosticsOptions;
import io.midicatalog.diagnostics.DiagnosticsReport;
import io.midicatalog.diagnostics.Finding;
import io.midicatalog.diagnostics.ProbeSamples;
import io.midicatalog.diagnostics.QueryPlan;
import io.midicatalog.provision.JdbcUrls;
import io.midicatalog.provision.PostgresProvisioning;
import io.midicatalog.provision.PostgresServer;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code profile}: the seed guide's query profiling tool (Appendix A), made real.
 *
 * <p>Without {@code --database-url} it starts an embedded PostgreSQL 17 in a fresh temporary data
 * directory (not the CLI's persistent one: the report is reproducible run to run and the user's own
 * library is never touched), fills a library of {@code --files} files, runs the load tests, profiles
 * and stops the server. With {@code --database-url} it profiles that catalog without changing its
 * data: no migration, no fill, no ANALYZE, no extension; every connection runs with
 * {@code default_transaction_read_only=on}, EXPLAINs are rolled back and the load tests only read.
 */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = "Profile a catalog: statistics, EXPLAIN of every query category, pool, cache, settings, load tests.")
public final class ProfileCommand implements Callable<Integer> {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m)?");

    @Option(names = "--database-url", paramLabel = "URL",
            description = "Profile this catalog read-only (jdbc:postgresql://host:port/db?user=..&password=..). "
                    + "Default: a temporary embedded PostgreSQL filled with --files files.")
    @Nullable String databaseUrl;

    @Option(names = "--files", paramLabel = "N", defaultValue = "20000",
            description = "Files in the generated library (default ${DEFAULT-VALUE}).")
    int files;

    @Option(names = "--import", paramLabel = "DIR", description = "Import this directory instead of generating a library.")
    @Nullable Path importDir;

    @Option(names = "--rows", description = "Fill with generated catalog rows (COPY, no files, no importer): faster,"
            + " for profiling queries only; the import throughput is then not the importer's.")
    boolean rows;

    @Option(names = "--no-load-tests", description = "Skip the load tests.")
    boolean noLoadTests;

    @Option(names = "--users", split = ",", paramLabel = "N", defaultValue = "10,50,100",
            description = "Concurrent users of each load test (default ${DEFAULT-VALUE}).")
    List<Integer> users;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "0",
            description = "Pace each load test at N requests/s in total, latency counted from each request's scheduled"
                    + " start (open loop: what 'sustains N/s at p95 X' asks); default 0: closed loop, each user sends"
                    + " its next request when its last returns (the most the catalog gives).")
    double rate;

    @Option(names = "--duration", paramLabel = "TIME", defaultValue = "10s", converter = DurationConverter.class,
            description = "Length of each load test: 500ms, 30s, 2m (default ${DEFAULT-VALUE}: three user counts stay"
                    + " near a minute in all).")
    Duration duration;

    @Option(names = "--json", description = "Write JSON (documented by profile-report.schema.json) instead of Markdown.")
    boolean json;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the report here instead of stdout.")
    @Nullable Path output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        validate();
        PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
        Progress progress = new Progress(err);
        Instant started = Instant.now();
        boolean ours = databaseUrl == null;
        PostgresServer server = null;
        MidiCatalog catalog;
        String description;
        if (ours) {
            progress.step("starting embedded PostgreSQL 17 in a temporary data directory");
            server = PostgresProvisioning.start(new PostgresProvisioning.Options(null, false, false, null, 0));
            String database = server.createDatabase("profile");
            description = JdbcUrls.parse(server.jdbcUrl(database)).describe();
            catalog = MidiCatalog.builder().jdbcUrl(server.jdbcUrl(database)).username(server.username())
                    .password(server.password()).poolProfile(PoolProfile.MIXED).cache(CacheSpec.defaults()).build();
        } else {
            description = JdbcUrls.parse(databaseUrl).describe();
            progress.step("connecting read-only to %s", description);
            catalog = MidiCatalog.builder().jdbcUrl(readOnly(databaseUrl)).poolProfile(PoolProfile.MIXED)
                    .cache(CacheSpec.defaults()).build();
            try {
                requireReadOnly(catalog);
            } catch (RuntimeException e) {
                catalog.close();
                throw e;
            }
        }
        try {
            ProfileReport report = profile(catalog, ours, description, progress, started);
            String text = json ? mapper().writeValueAsString(report) + "\n" : MarkdownReport.render(report);
            if (output != null) {
                Files.writeString(output, text, StandardCharsets.UTF_8);
                progress.step("report written to %s (health score %d)", output, report.healthScore());
            } else {
                spec.commandLine().getOut().print(text);
                spec.commandLine().getOut().flush();
                progress.step("done (health score %d)", report.healthScore());
            }
            return 0;
        } finally {
            catalog.close();
            if (server != null) {
                progress.step("stopping embedded PostgreSQL");
                server.close();
            }
        }
    }

    private ProfileReport profile(MidiCatalog catalog, boolean ours, String description,
                                  Progress progress, Instant started) throws Exception {
        ImportThroughput throughput = null;
        if (ours) {
            progress.step("migrating the schema");
            catalog.migrate();
            // our own database: installing pg_stat_statements first lets it record the load tests
            catalog.diagnostics().topStatements(0, true);
            LibrarySource source = librarySource();
            progress.step("filling the library (%,d files)", files);
            throughput = source.fill(catalog, progress);
            progress.step("filled: %,.0f files/s (%s); ANALYZE", throughput.filesPerSecond(), throughput.method());
            settleStatistics(catalog);
            catalog.diagnostics().analyze();
        }
        ProbeSamples samples = catalog.diagnostics().samples();
        progress.step("catalog has %,d files", samples.fileCount());
        List<LoadTestResult> loadTests = new ArrayList<>();
        String skipped = null;
        if (noLoadTests) {
            skipped = "--no-load-tests";
        } else if (samples.fileCount() == 0) {
            skipped = "the catalog is empty";
        } else {
            List<Long> ids = Jdbi.create(catalog.readDataSource()).withHandle(h -> h.createQuery(
                    "SELECT id FROM files ORDER BY random() LIMIT 20000").mapTo(Long.class).list());
            LoadTest test = new LoadTest(catalog.readDataSource(), workload(catalog, samples, ids));
            Duration warmUp = duration.compareTo(Duration.ofSeconds(2)) < 0 ? duration : Duration.ofSeconds(2);
            progress.step("load test warm-up: %d users for %s (JIT, pool; not reported)", users.get(0), human(warmUp));
            test.run(users.get(0), warmUp);
            for (int n : users) {
                progress.step("load test: %d users for %s (%d operations in the mix%s)", n, human(duration),
                        test.operations().size(), rate > 0 ? String.format(Locale.ROOT, ", paced at %,.0f/s", rate) : "");
                LoadTestResult result = test.run(n, duration, rate);
                loadTests.add(result);
                progress.step("  %,.0f QPS, p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, %d errors, pool waiting max %d",
                        result.qps(), result.p50Millis(), result.p95Millis(), result.p99Millis(), result.errors(),
                        result.poolWaitingMax());
            }
        }
        progress.step("profiling: statistics, pg_stat_statements, EXPLAIN ANALYZE of each query category");
        DiagnosticsReport diagnostics = catalog.diagnostics().report(DiagnosticsOptions.builder()
                .installPgStatStatements(ours).build());
        // A database the profiler just filled has seen only the load test: an index that serves a
        // query outside it (or the importer's writes) looks unused, so DROP advice is left out there.
        String indexSql = ours ? "(?s)^(CREATE INDEX|REINDEX).*" : "(?s)^(CREATE INDEX|DROP INDEX|REINDEX).*";
        List<Finding> indexRecommendations = diagnostics.findings().stream()
                .filter(f -> f.sql() != null && f.sql().matches(indexSql)).toList();
        ProfileReport.Target target = new ProfileReport.Target(ours ? "embedded" : "explicit", ours, description,
                diagnostics.settings().serverVersion(), samples.fileCount());
        double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
        return new ProfileReport(ProfileReport.SCHEMA_VERSION, started.truncatedTo(ChronoUnit.SECONDS).toString(), target,
                seconds, diagnostics.healthScore(), diagnostics.healthFormula(),
                summary(diagnostics, loadTests, throughput, samples.fileCount(), ours), diagnostics, indexRecommendations,
                cacheRecommendations(diagnostics, loadTests), loadTests, skipped, throughput);
    }

    /**
     * PostgreSQL 15+ backends flush their table statistics lazily (up to 10 s when idle): an ANALYZE
     * right after the fill would be followed by the fill's late insert counts and n_live_tup would
     * double. Closing the pool's idle connections makes their backends flush on exit.
     */
    private static void settleStatistics(MidiCatalog catalog) throws InterruptedException {
        if (catalog.dataSource() instanceof com.zaxxer.hikari.HikariDataSource pool && pool.getHikariPoolMXBean() != null) {
            pool.getHikariPoolMXBean().softEvictConnections();
            Thread.sleep(300);
        }
    }

    /**
     * The load-test mix as the library runs it: search shapes, track loads and details through the
     * catalog's API (and so its cache, when one is configured).
     */
    private static List<LoadTest.Operation> workload(MidiCatalog catalog, ProbeSamples samples, List<Long> ids) {
        // Search runs through catalog.search(), not as replayed probes: the probes show both page
        // strategies of a shape, and replaying the one the repository would not choose (collecting
        // every match of a common word) would load-test a query the library never runs.
        List<LoadTest.Operation> operations = new ArrayList<>(searchShapes(catalog, samples));
        long[] pool = ids.stream().mapToLong(Long::longValue).toArray();
        operations.add(new LoadTest.Operation("track single (tracks().load)",
                random -> catalog.tracks().load(LoadTest.pick(pool, random))));
        operations.add(new LoadTest.Operation("track batch of 10 (tracks().load)", random -> {
            long[] batch = new long[10];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = LoadTest.pick(pool, random);
            }
            catalog.tracks().load(batch);
        }));
        operations.add(new LoadTest.Operation("details (details().get)",
                random -> catalog.details().get(LoadTest.pick(pool, random))));
        return operations;
    }

    /** Search shapes through {@code catalog.search()}, each call with its count, random parameters. */
    private static List<LoadTest.Operation> searchShapes(MidiCatalog catalog, ProbeSamples samples) {
        List<String> words = new ArrayList<>();
        if (samples.commonWord() != null) {
            words.add(samples.commonWord());
        }
        if (samples.rareWord() != null) {
            words.add(samples.rareWord());
        }
        MusicalKey[] keys = MusicalKey.values();
        List<LoadTest.Operation> shapes = new ArrayList<>();
        if (!words.isEmpty()) {
            shapes.add(new LoadTest.Operation("search: text (search())", random -> catalog.search().search(
                    SearchQuery.builder().text(words.get(random.nextInt(words.size()))).build())));
            shapes.add(new LoadTest.Operation("search: text + BPM + key (search())", random -> catalog.search().search(
                    SearchQuery.builder().text(words.get(random.nextInt(words.size())))
                            .bpm(110 + random.nextInt(30), 140 + random.nextInt(10))
                            .keys(List.of(keys[random.nextInt(24)])).build())));
        }
        shapes.add(new LoadTest.Operation("search: BPM range (search())", random -> {
            int low = 80 + random.nextInt(80);
            catalog.search().search(SearchQuery.builder().bpm(low, low + 10).build());
        }));
        shapes.add(new LoadTest.Operation("search: key (search())", random -> catalog.search().search(
                SearchQuery.builder().keys(List.of(keys[random.nextInt(24)])).build())));
        shapes.add(new LoadTest.Operation("search: no filter (search())",
                random -> catalog.search().search(SearchQuery.builder().build())));
        return shapes;
    }

    private LibrarySource librarySource() {
        if (importDir != null) {
            return ImporterLibrary.of(importDir);
        }
        return rows ? new GeneratedRowsLibrary(files) : ImporterLibrary.generated(files);
    }

    static List<String> summary(DiagnosticsReport d, List<LoadTestResult> loadTests, @Nullable ImportThroughput throughput,
                                long files, boolean embedded) {
        List<String> lines = new ArrayList<>();
        if (embedded) {
            lines.add("Measured on the embedded PostgreSQL 17 with fsync=off, synchronous_commit=off and"
                    + " full_page_writes=off, on the same machine as the client: writes are faster than on a durable server.");
        }
        lines.add(String.format(Locale.ROOT, "%,d files; database %.1f MiB; %d tables, %d indexes.", files,
                d.statistics().sizeBytes() / 1048576.0, d.statistics().tables().size(), d.statistics().indexes().size()));
        d.plans().stream().max(Comparator.comparingDouble(QueryPlan::executionMillis)).ifPresent(p -> lines.add(
                String.format(Locale.ROOT, "Slowest profiled query: %s / %s, %.2f ms (%d queries profiled, %d with findings).",
                        p.category(), p.name(), p.executionMillis(), d.plans().size(),
                        d.plans().stream().filter(q -> !q.findings().isEmpty()).count())));
        if (d.plans().stream().noneMatch(p -> p.category().equals("search"))) {
            lines.add("Search shapes run in the load tests through catalog.search(), but are not EXPLAINed yet: no"
                    + " search QueryCategory is plugged into diagnostics.");
        }
        for (LoadTestResult t : loadTests) {
            lines.add(String.format(Locale.ROOT, "Load, %d users: %,.0f QPS, p95 %.2f ms, p99 %.2f ms, %d errors.", t.users(),
                    t.qps(), t.p95Millis(), t.p99Millis(), t.errors()));
        }
        if (throughput != null) {
            lines.add(String.format(Locale.ROOT, "Import: %,.0f files/s (%s).", throughput.filesPerSecond(), throughput.method()));
        }
        lines.add("pg_stat_statements: " + d.topStatements().status() + ".");
        return lines;
    }

    static List<String> cacheRecommendations(DiagnosticsReport d, List<LoadTestResult> loadTests) {
        List<String> lines = new ArrayList<>();
        if (d.caches().isEmpty()) {
            lines.add("No cache statistics: this build has no cache (issue 6). Track and details lookups by id are"
                    + " the candidates: they repeat in a DAW session and a cached answer skips the pool and the round trip.");
        }
        d.caches().stream().filter(c -> c.hits() + c.misses() > 0).forEach(c -> lines.add(String.format(Locale.ROOT, "%s: hit rate %.0f%% (%d hits, %d misses, %d evictions)%s",
                c.name(), c.hitRate() * 100, c.hits(), c.misses(), c.evictions(),
                c.evictions() > c.hits() / 10 ? ": it evicts often, raise its maximum size" : "")));
        for (LoadTestResult t : loadTests) {
            t.operationsByKind().stream().filter(o -> o.count() > 0).max(Comparator.comparingDouble(
                    LoadTestResult.OperationStats::p95Millis)).ifPresent(o -> lines.add(String.format(Locale.ROOT,
                    "At %d users the slowest operation is %s (p95 %.2f ms)%s.", t.users(), o.name(), o.p95Millis(),
                    t.poolWaitingMax() > 0 ? "; threads waited for connections, so a cache hit also saves a pool wait" : "")));
        }
        return lines;
    }

    private void validate() {
        if (files < 1 || files > 10_000_000) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--files must be 1-10,000,000: " + files);
        }
        if (databaseUrl != null && (importDir != null || spec.commandLine().getParseResult().hasMatchedOption("--files"))) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--files and --import fill a catalog the profiler creates; they cannot be used with --database-url");
        }
        for (int n : users) {
            if (n < 1 || n > 1000) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--users must be 1-1000 each: " + n);
            }
        }
        if (duration.isZero() || duration.compareTo(Duration.ofHours(1)) > 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--duration must be 1ms-1h: " + human(duration));
        }
    }

    /**
     * The URL with every session read-only on the server side ({@code default_transaction_read_only}),
     * so neither a bug here nor a surprise in the catalog's SQL can change the profiled data. The
     * setting goes last into the URL's {@code options} (added, or appended to the user's own), so it
     * wins over an earlier {@code -c}. Not pgjdbc's {@code readOnly=true&readOnlyMode=always}: with
     * it, the pool's reset of each new connection to read-write becomes a server-side
     * {@code SET SESSION CHARACTERISTICS ... READ WRITE} that undoes the default.
     */
    static String readOnly(String url) {
        String setting = "-c%20default_transaction_read_only%3Don";
        Matcher options = Pattern.compile("([?&]options=)([^&]*)").matcher(url);
        if (options.find()) {
            return url.substring(0, options.end()) + (options.group(2).isEmpty() ? "" : "%20") + setting
                    + url.substring(options.end());
        }
        return url + (url.contains("?") ? "&" : "?") + "options=" + setting;
    }

    /** Fails unless the catalog's sessions really are read-only (see {@link #readOnly}). */
    static void requireReadOnly(MidiCatalog catalog) {
        try (Connection c = catalog.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW default_transaction_read_only")) {
            rs.next();
            if (!"on".equals(rs.getString(1))) {
                throw new IllegalStateException("sessions of --database-url are not read-only"
                        + " (default_transaction_read_only is " + rs.getString(1) + "): refusing to profile");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not check that --database-url is read-only: " + e.getMessage(), e);
        }
    }

    static ObjectMapper mapper() {
        return Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT)
                .registerModule(new SimpleModule().addSerializer(Instant.class, ToStringSerializer.instance));
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** {@code 500ms}, {@code 30s}, {@code 2m}; a bare number is seconds. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Matcher m = DURATION.matcher(value.trim());
            if (!m.matches()) {
                throw new CommandLine.TypeConversionException("not a duration (500ms, 30s, 2m): " + value);
            }
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            };
        }
    }
}
