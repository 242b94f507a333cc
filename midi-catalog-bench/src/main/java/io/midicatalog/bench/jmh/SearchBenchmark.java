package io.midicatalog.bench.jmh;

import io.midicatalog.MidiCatalog;
import io.midicatalog.PoolProfile;
import io.midicatalog.api.MusicalKey;
import io.midicatalog.api.SearchRepository;
import io.midicatalog.cache.CacheSpec;
import io.midicatalog.cache.CacheStatistics;
import io.midicatalog.cache.CatalogCaches;
import io.midicatalog.api.SearchPage;
import io.midicatalog.api.SearchQuery;
import io.midicatalog.bench.profile.LoadTest;
import io.midicatalog.bench.profile.LoadTestResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Search latency per query shape at scale, ours (through {@code catalog.search()}, JDBC included,
 * every call also computing the capped count) beside the guide's query (SEED-GUIDE.md: the
 * {@code ($1 IS NULL OR ...)} catch-all, {@code ts_rank} over all matches, {@code OFFSET}) run
 * against the equivalent columns in the same run. Parameters are drawn at random per call from
 * frequency bands of the dataset's own words. Then a mixed workload at N clients.
 *
 * <pre>
 * java -cp midi-catalog-bench/target/benchmarks.jar io.midicatalog.bench.jmh.SearchBenchmark \
 *     [--database-url URL] [--rows 1000000] [--iterations 200] [--clients 10] [--seconds 20] [--shapes TEXT]
 *     [--rates 1000,300] [--mixed-only true]
 * </pre>
 * The mixed workload runs as a closed loop (the most the server gives) and then paced at each of
 * {@code --rates} queries/s (open loop, latency from each query's scheduled start), uncached and
 * through the search-page cache.
 * {@code --shapes TEXT} measures only our shapes whose name contains TEXT ("" for all of ours), and
 * the shapes of text with a filter outside the targets ("common word +" for all of them) and of
 * filters without text ("filter only" for all of them),
 * without the guide's queries and the mixed load: for quick comparisons while tuning.
 * Without {@code --database-url} it uses {@link BenchDataset} (embedded PostgreSQL 17, built once).
 * A main class rather than JMH: what we report are per-shape percentiles of single calls.
 */
public final class SearchBenchmark {
    private final MidiCatalog catalog;
    private final DataSource dataSource;
    private final SplittableRandom random = new SplittableRandom(7);
    private final List<String> common = new ArrayList<>();
    private final List<String> mid = new ArrayList<>();
    private final List<String> rare = new ArrayList<>();
    private final List<String[]> rarelyMeet = new ArrayList<>();
    private final List<String[]> oftenMeet = new ArrayList<>();
    private final List<String> phrases = new ArrayList<>();
    private long files;

    /** Only shapes whose name contains this (and no guide queries), or null for all. */
    private final @Nullable String only;
    /** Only the mixed workload (no single-client shapes, no guide queries). */
    private final boolean mixedOnly;

    private SearchBenchmark(MidiCatalog catalog, @Nullable String only, boolean mixedOnly) {
        this.catalog = catalog;
        this.only = only;
        this.mixedOnly = mixedOnly;
        this.dataSource = catalog.readDataSource();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i], args[i + 1]);
        }
        int iterations = Integer.parseInt(opts.getOrDefault("--iterations", "200"));
        int clients = Integer.parseInt(opts.getOrDefault("--clients", "10"));
        int seconds = Integer.parseInt(opts.getOrDefault("--seconds", "20"));
        String only = opts.get("--shapes");
        double[] rates = Arrays.stream(opts.getOrDefault("--rates", "1000").split(","))
                .map(String::trim).filter(x -> !x.isEmpty()).mapToDouble(Double::parseDouble).toArray();
        boolean mixedOnly = Boolean.parseBoolean(opts.getOrDefault("--mixed-only", "false"));
        String url = opts.get("--database-url");
        if (url != null) {
            try (MidiCatalog catalog = MidiCatalog.builder().jdbcUrl(url).poolProfile(PoolProfile.SEARCH_HEAVY).build()) {
                catalog.migrate();
                new SearchBenchmark(catalog, only, mixedOnly).run(iterations, clients, seconds, rates);
            }
        } else {
            try (BenchDataset data = BenchDataset.open(Integer.parseInt(opts.getOrDefault("--rows", "1000000")))) {
                new SearchBenchmark(data.catalog(), only, mixedOnly).run(iterations, clients, seconds, rates);
            }
        }
    }

    private void run(int iterations, int clients, int seconds, double[] rates) throws Exception {
        prepareWords();
        System.out.printf(Locale.ROOT, "files %,d; words: %d common (>= 10%%), %d mid (0.3-2%%), %d rare (10-200 files),"
                + " %d rarely- and %d often-meeting common pairs, %d phrases%n", files, common.size(), mid.size(), rare.size(),
                rarelyMeet.size(), oftenMeet.size(), phrases.size());
        String deepCursor = cursorAtPage(SearchQuery.builder().pageSize(50).build(), 1000);
        Map<String, Function<SplittableRandom, SearchQuery>> shapes = shapes(deepCursor);
        System.out.printf(Locale.ROOT, "%-34s %9s %9s %9s %12s%n", "shape (ours: page of 50 + capped count)", "p50 ms", "p95 ms", "max ms", "total seen");
        for (var e : shapes.entrySet()) {
            if (mixedOnly || (only != null && !e.getKey().contains(only))) {
                continue;
            }
            measure(e.getKey(), iterations, r -> {
                SearchPage p = catalog.search().search(e.getValue().apply(r));
                return p.total();
            });
        }
        if (only != null) {
            for (var e : filterShapes().entrySet()) {
                if (e.getKey().contains(only)) {
                    measure(e.getKey(), iterations, r -> catalog.search().search(e.getValue().apply(r)).total());
                }
            }
            return;
        }
        if (!mixedOnly) {
            guideShapes(iterations);
        }
        mixed(catalog.search(), "uncached", shapes, clients, seconds, 0);
        mixedCached(shapes, clients, seconds, 0);
        for (double rate : rates) {
            mixed(catalog.search(), "uncached", shapes, clients, seconds, rate);
            mixedCached(shapes, clients, seconds, rate);
        }
    }

    private Map<String, Function<SplittableRandom, SearchQuery>> shapes(String deepCursor) {
        Map<String, Function<SplittableRandom, SearchQuery>> s = new LinkedHashMap<>();
        s.put("common word", r -> SearchQuery.builder().text(pick(common, r)).build());
        s.put("mid word", r -> SearchQuery.builder().text(pick(mid, r)).build());
        s.put("rare word", r -> SearchQuery.builder().text(pick(rare, r)).build());
        s.put("two words (common + mid)", r -> SearchQuery.builder().text(pick(common, r) + " " + pick(mid, r)).build());
        s.put("two common words rarely meeting", r -> {
            String[] pair = rarelyMeet.get(r.nextInt(rarelyMeet.size()));
            return SearchQuery.builder().text(pair[0] + " " + pair[1]).build();
        });
        s.put("two common words often meeting", r -> {
            String[] pair = oftenMeet.get(r.nextInt(oftenMeet.size()));
            return SearchQuery.builder().text(pair[0] + " " + pair[1]).build();
        });
        s.put("quoted phrase", r -> SearchQuery.builder().text('"' + pick(phrases, r) + '"').build());
        s.put("common word + BPM 120-130 + key", r -> SearchQuery.builder().text(pick(common, r)).bpm(120, 130)
                .key(MusicalKey.fromCode(r.nextInt(24))).build());
        s.put("BPM range (10 wide), newest", r -> {
            int min = 80 + r.nextInt(80);
            return SearchQuery.builder().bpm(min, min + 10).build();
        });
        s.put("key only, newest", r -> SearchQuery.builder().key(MusicalKey.fromCode(r.nextInt(24))).build());
        s.put("no filter, newest", r -> SearchQuery.builder().build());
        s.put("no filter, page 1000 (cursor)", r -> SearchQuery.builder().pageSize(50).cursor(deepCursor).build());
        s.put("common word, sort by BPM", r -> SearchQuery.builder().text(pick(common, r)).sort(SearchQuery.Sort.BPM).build());
        s.put("facets: common word", r -> SearchQuery.builder().text(pick(common, r)).facets(true).build());
        s.put("facets: BPM range", r -> {
            int min = 80 + r.nextInt(80);
            return SearchQuery.builder().bpm(min, min + 10).facets(true).build();
        });
        s.put("facets: no filter", r -> SearchQuery.builder().facets(true).build());
        return s;
    }

    /**
     * Text with a filter that the targets do not list (no index narrows it, or it lives in another
     * table): measured only when {@code --shapes} names them, and never part of the mixed load, so
     * the target figures stay comparable between runs.
     */
    private Map<String, Function<SplittableRandom, SearchQuery>> filterShapes() {
        Map<String, Function<SplittableRandom, SearchQuery>> s = new LinkedHashMap<>();
        s.put("common word + duration 10-20 s", r -> SearchQuery.builder().text(pick(common, r)).duration(10.0, 20.0).build());
        s.put("common word + 100-200 notes", r -> SearchQuery.builder().text(pick(common, r)).noteCount(100, 200).build());
        s.put("common word + SMF format 0", r -> SearchQuery.builder().text(pick(common, r)).smfFormat(0).build());
        s.put("common word + BPM 120-125 half/double", r -> SearchQuery.builder().text(pick(common, r)).bpm(120, 125)
                .bpmHalfDouble(true).build());
        s.put("common word + favorites", r -> SearchQuery.builder().text(pick(common, r)).favoritesOnly(true).build());
        s.put("common word + GM family", r -> SearchQuery.builder().text(pick(common, r))
                .gmFamily(io.midicatalog.api.GmFamily.fromOrdinal(r.nextInt(16))).build());
        s.put("common word + 3/4", r -> SearchQuery.builder().text(pick(common, r))
                .timeSignature(new io.midicatalog.api.TimeSignature(3, 4)).build());
        // without text: what a browser's filter panel sends (GM families and time signatures are in
        // the text index since schema V11, duration and note count in the date indexes since V12)
        s.put("filter only: GM family", r -> SearchQuery.builder()
                .gmFamily(io.midicatalog.api.GmFamily.fromOrdinal(r.nextInt(17))).build());
        s.put("filter only: time signature", r -> SearchQuery.builder().timeSignature(
                new io.midicatalog.api.TimeSignature[] {new io.midicatalog.api.TimeSignature(4, 4),
                    new io.midicatalog.api.TimeSignature(3, 4), new io.midicatalog.api.TimeSignature(6, 8),
                    new io.midicatalog.api.TimeSignature(7, 8), new io.midicatalog.api.TimeSignature(5, 4)}[r.nextInt(5)]).build());
        s.put("filter only: favorites", r -> SearchQuery.builder().favoritesOnly(true).build());
        s.put("filter only: duration 10-20 s", r -> SearchQuery.builder().duration(10.0, 20.0).build());
        s.put("filter only: GM family, by BPM", r -> SearchQuery.builder()
                .gmFamily(io.midicatalog.api.GmFamily.fromOrdinal(r.nextInt(17))).sort(SearchQuery.Sort.BPM).build());
        return s;
    }

    /** The guide's query for the shapes it has, on the same data (for the ours-vs-guide ratios). */
    private void guideShapes(int iterations) throws Exception {
        System.out.println("-- the guide's query (catch-all, ts_rank, OFFSET) on the same columns, prepared statements --");
        measure("guide: common word", iterations / 4, r -> guide(pick(common, r), null, null, null, 50, 0));
        measure("guide: mid word", iterations / 4, r -> guide(pick(mid, r), null, null, null, 50, 0));
        measure("guide: common + BPM 120-130 + key", iterations / 4,
                r -> guide(pick(common, r), 120.0, 130.0, r.nextInt(24), 50, 0));
        measure("guide: BPM range", iterations / 4, r -> {
            double min = 80 + r.nextInt(80);
            return guide(null, min, min + 10, null, 50, 0);
        });
        measure("guide: no filter OFFSET 49950", iterations / 4, r -> guide(null, null, null, null, 50, 49_950));
        measure("guide: count common word", iterations / 4, r -> guideCount(pick(common, r)));
    }

    /**
     * The same workload through the catalog's search-page cache (CacheSpec.defaults(): 1,000
     * pages, 5 min), fresh for each run and warmed up by a quarter of it (unmeasured): what an
     * app that enables it sees when users repeat searches. Its hit rate depends on how often the
     * drawn parameters repeat (here: often, the words come from small frequency bands), so the
     * measured run's hit rate is printed beside.
     */
    private void mixedCached(Map<String, Function<SplittableRandom, SearchQuery>> shapes, int clients, int seconds,
            double rate) throws Exception {
        try (MidiCatalog cached = MidiCatalog.builder().dataSource(dataSource).cache(CacheSpec.defaults()).build()) {
            // a warm-up of a quarter of the run first (not measured): an app's cache is not empty
            mixed(cached.search(), "warm-up", shapes, clients, Math.max(1, seconds / 4), rate, false);
            CacheStatistics before = cached.cacheStats().get(CatalogCaches.SEARCH);
            mixed(cached.search(), "search-page cache on", shapes, clients, seconds, rate);
            CacheStatistics after = cached.cacheStats().get(CatalogCaches.SEARCH);
            if (before != null && after != null) {
                long hits = after.hits() - before.hits();
                long misses = after.misses() - before.misses();
                System.out.printf(Locale.ROOT, "  search-page cache in the measured run: %,d hits, %,d misses (hit rate %.0f %%)%n",
                        hits, misses, 100.0 * hits / Math.max(1, hits + misses));
            }
        }
    }

    /**
     * The mixed workload (every non-facet shape, drawn uniformly) at {@code clients} threads, run by
     * the profiler's {@link LoadTest}: with {@code rate} 0 a closed loop (the most the server gives,
     * with the latencies of a saturated server), else paced at {@code rate} queries/s in total with
     * latencies from each query's scheduled start (what "sustains N queries/s with p95 <= X" asks).
     */
    private void mixed(SearchRepository search, String label, Map<String, Function<SplittableRandom, SearchQuery>> shapes,
            int clients, int seconds, double rate) throws Exception {
        mixed(search, label, shapes, clients, seconds, rate, true);
    }

    private void mixed(SearchRepository search, String label, Map<String, Function<SplittableRandom, SearchQuery>> shapes,
            int clients, int seconds, double rate, boolean print) throws Exception {
        List<LoadTest.Operation> mix = shapes.entrySet().stream()
                .filter(e -> !e.getKey().startsWith("facets"))
                .map(e -> new LoadTest.Operation(e.getKey(),
                        random -> search.search(e.getValue().apply(new SplittableRandom(random.nextLong())))))
                .toList();
        ServerCpu server = ServerCpu.of(dataSource);
        double serverBefore = server == null ? Double.NaN : server.seconds();
        long jvmBefore = jvmCpuNanos();
        LoadTestResult r = new LoadTest(dataSource, mix).run(clients, Duration.ofSeconds(seconds), rate);
        double jvmCpu = (jvmCpuNanos() - jvmBefore) / 1e9;
        double serverCpu = server == null ? Double.NaN : server.seconds() - serverBefore;
        if (!print) {
            return;
        }
        System.out.printf(Locale.ROOT, "mixed search (%s), %d clients, %s: %,.0f queries/s done,"
                        + " p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, %d errors%n",
                label, clients, rate > 0 ? String.format(Locale.ROOT, "paced at %,.0f queries/s", rate) : "closed loop",
                r.qps(), r.p50Millis(), r.p95Millis(), r.p99Millis(), r.errors());
        // where the CPU goes (client and server share this machine's cores)
        System.out.printf(Locale.ROOT, "  CPU per query: this JVM %.0f us, PostgreSQL %.0f us%n",
                jvmCpu * 1e6 / Math.max(1, r.operations()), serverCpu * 1e6 / Math.max(1, r.operations()));
    }

    /** CPU time of this process (all threads), or 0 where the platform does not say. */
    private static long jvmCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? Math.max(0, os.getProcessCpuTime()) : 0;
    }

    @FunctionalInterface
    private interface Call {
        long call(SplittableRandom r) throws Exception;
    }

    private void measure(String name, int iterations, Call call) throws Exception {
        for (int i = 0; i < Math.min(20, iterations); i++) {
            call.call(random);
        }
        long[] times = new long[iterations];
        long seen = 0;
        for (int i = 0; i < iterations; i++) {
            long t = System.nanoTime();
            seen = call.call(random);
            times[i] = System.nanoTime() - t;
        }
        Arrays.sort(times);
        System.out.printf(Locale.ROOT, "%-34s %9.2f %9.2f %9.2f %12d%n", name, pct(times, 50), pct(times, 95),
                times[times.length - 1] / 1e6, seen);
    }

    private static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }

    private static String pick(List<String> words, SplittableRandom r) {
        return words.get(r.nextInt(words.size()));
    }

    private String cursorAtPage(SearchQuery query, int page) {
        SearchPage p = catalog.search().search(query);
        for (int i = 1; i < page - 1 && p.nextCursor() != null; i++) {
            p = catalog.search().search(query.toBuilder().cursor(p.nextCursor()).build());
        }
        return p.nextCursor();
    }

    private void prepareWords() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT search_compact_counts()");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM files")) {
                rs.next();
                files = rs.getLong(1);
            }
            try (ResultSet rs = s.executeQuery("""
                    SELECT word, sum(doc_files) FROM search_word_counts WHERE word ~ '^[a-z]{3,}$'
                    GROUP BY word ORDER BY 2 DESC""")) {
                while (rs.next()) {
                    String w = rs.getString(1);
                    double share = rs.getLong(2) / (double) files;
                    long n = rs.getLong(2);
                    if (share >= 0.10) {
                        common.add(w);
                    } else if (share >= 0.003 && share <= 0.02) {
                        mid.add(w);
                    } else if (n >= 10 && n <= 200) {
                        rare.add(w);
                    }
                }
            }
            List<String> top = common.subList(0, Math.min(10, common.size()));
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM files WHERE doc_tsv @@ CAST(? AS tsquery)")) {
                List<Object[]> pairs = new ArrayList<>();
                for (int i = 0; i < top.size(); i++) {
                    for (int j = i + 1; j < top.size(); j++) {
                        ps.setString(1, "'" + top.get(i) + "' & '" + top.get(j) + "'");
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            pairs.add(new Object[] {top.get(i), top.get(j), rs.getLong(1)});
                        }
                    }
                }
                pairs.sort((a, b) -> Long.compare((Long) a[2], (Long) b[2]));
                // pairs that meet in at most 0.1% of files (at least the rarest pair)
                for (Object[] p : pairs.stream().filter(p -> (Long) p[2] <= files / 1000 || p == pairs.get(0)).limit(5).toList()) {
                    rarelyMeet.add(new String[] {(String) p[0], (String) p[1]});
                    System.out.printf(Locale.ROOT, "rarely meeting: %s & %s: %d files%n", p[0], p[1], p[2]);
                }
                // pairs that meet in at least 1% of files: the least frequent of them (the longest
                // posting lists for the fewest matches) are the hardest
                for (Object[] p : pairs.stream().filter(p -> (Long) p[2] >= files / 100).limit(6).toList()) {
                    oftenMeet.add(new String[] {(String) p[0], (String) p[1]});
                    System.out.printf(Locale.ROOT, "often meeting: %s & %s: %d files%n", p[0], p[1], p[2]);
                }
            }
            try (ResultSet rs = s.executeQuery("""
                    SELECT name_words FROM files TABLESAMPLE SYSTEM (1) REPEATABLE (3)
                    WHERE name_words LIKE '% %' LIMIT 200""")) {
                while (rs.next()) {
                    String[] w = rs.getString(1).split(" ");
                    phrases.add(w[0] + " " + w[1]);
                }
            }
        }
    }

    /** The guide's query on this schema; one definition, shared with the JMH benchmark. */
    private static final String GUIDE = SearchShapeBenchmark.GUIDE_SEARCH;

    private long guide(@Nullable String text, @Nullable Double min, @Nullable Double max, @Nullable Integer key,
            int limit, int offset) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(GUIDE)) {
            int i = 1;
            for (int k = 0; k < 2; k++) {
                ps.setObject(i++, text, Types.VARCHAR);
            }
            for (int k = 0; k < 2; k++) {
                ps.setObject(i++, min, Types.DOUBLE);
            }
            for (int k = 0; k < 2; k++) {
                ps.setObject(i++, max, Types.DOUBLE);
            }
            for (int k = 0; k < 2; k++) {
                ps.setObject(i++, key, Types.INTEGER);
            }
            for (int k = 0; k < 2; k++) {
                ps.setObject(i++, text, Types.VARCHAR);
            }
            ps.setInt(i++, limit);
            ps.setInt(i, offset);
            long n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    n++;
                }
            }
            return n;
        }
    }

    private long guideCount(String text) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SearchShapeBenchmark.GUIDE_COUNT)) {
            ps.setString(1, text);
            ps.setString(2, text);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
