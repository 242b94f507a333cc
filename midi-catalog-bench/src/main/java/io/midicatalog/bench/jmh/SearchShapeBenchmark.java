package io.midicatalog.bench.jmh;

import io.midicatalog.MidiCatalog;
import io.midicatalog.api.MusicalKey;
import io.midicatalog.api.SearchPage;
import io.midicatalog.api.SearchQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Every search shape, ours ({@code catalog.search()}: JDBC, mapping and the capped count
 * included) beside the guide's query ({@code impl=guide}: SEED-GUIDE.md's {@code ($1 IS NULL OR
 * ...)} catch-all with {@code ts_rank} over all matches and {@code OFFSET}, on the equivalent
 * columns, one prepared statement on one connection: its best case) in the same run, so
 * {@code bench-compare} prints the ratio per shape. Sample-time mode: p50/p95/p99 per shape.
 * Words are drawn per call from frequency bands of the dataset's own word counts.
 *
 * <pre>
 * mvn -B -q install -DskipTests
 * java -jar midi-catalog-bench/target/benchmarks.jar SearchShapeBenchmark -rf json -rff search.json        # 100K rows
 * java -jar midi-catalog-bench/target/benchmarks.jar SearchShapeBenchmark -p rows=1000000 -rf json -rff search.json
 * java -jar midi-catalog-bench/target/midi-catalog.jar bench-compare search.json
 * </pre>
 * Shapes the guide cannot express exactly run its nearest query: facets are its exact GROUP BYs of
 * the matches, a deep page is OFFSET 49,950, a count is its {@code COUNT(*)} with the catch-all.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
public class SearchShapeBenchmark {
    /** The guide's search, column names mapped to this schema (BPM and key live on files here). */
    static final String GUIDE_SEARCH = """
            SELECT f.id, f.filename, f.filepath, f.file_size_bytes, f.created_at, f.manufacturer, f.collection,
                   f.bpm::float8, f.key_code, f.duration_seconds::float8
            FROM files f
            WHERE (?::text IS NULL OR f.doc_tsv @@ plainto_tsquery('simple', ?))
              AND (?::float8 IS NULL OR f.bpm::float8 >= ?)
              AND (?::float8 IS NULL OR f.bpm::float8 <= ?)
              AND (?::int IS NULL OR f.key_code = ?)
            ORDER BY CASE WHEN ?::text IS NOT NULL THEN ts_rank(f.doc_tsv, plainto_tsquery('simple', ?)) ELSE 0 END DESC,
                     f.created_at DESC
            LIMIT ? OFFSET ?""";
    static final String GUIDE_COUNT =
            "SELECT count(*) FROM files f WHERE (?::text IS NULL OR f.doc_tsv @@ plainto_tsquery('simple', ?))";
    /** Live exact facet counts of the matches, as a catalog without count tables must compute them. */
    static final String[] GUIDE_FACETS = {
        "SELECT key_code, count(*) FROM files f WHERE f.doc_tsv @@ plainto_tsquery('simple', ?) GROUP BY 1",
        "SELECT category, count(*) FROM files f WHERE f.doc_tsv @@ plainto_tsquery('simple', ?) GROUP BY 1",
        "SELECT manufacturer, count(*) FROM files f WHERE f.doc_tsv @@ plainto_tsquery('simple', ?) GROUP BY 1",
        "SELECT floor(bpm / 10), count(*) FROM files f WHERE f.doc_tsv @@ plainto_tsquery('simple', ?) GROUP BY 1",
    };

    /** Dataset scale: 100,000 by default (the quick pass); {@code -p rows=1000000} for the full pass. */
    @Param("100000")
    public int rows;

    @Param({"ours", "guide"})
    public String impl;

    @Param({"commonWord", "midWord", "rareWord", "textBpmKey", "bpmRange", "keyOnly", "noFilter", "deepPage",
            "countCommonWord", "facetsCommonWord"})
    public String shape;

    private BenchDataset dataset;
    private MidiCatalog catalog;
    private Connection guide;
    private PreparedStatement guideSearch;
    private PreparedStatement guideCount;
    private final List<PreparedStatement> guideFacets = new ArrayList<>();
    private final SplittableRandom random = new SplittableRandom(11);
    private final List<String> common = new ArrayList<>();
    private final List<String> mid = new ArrayList<>();
    private final List<String> rare = new ArrayList<>();
    private @Nullable String deepCursor;

    @Setup(Level.Trial)
    public void open() throws SQLException {
        dataset = BenchDataset.open(rows);
        catalog = dataset.catalog();
        guide = dataset.dataSource().getConnection();
        guideSearch = guide.prepareStatement(GUIDE_SEARCH);
        guideCount = guide.prepareStatement(GUIDE_COUNT);
        for (String sql : GUIDE_FACETS) {
            guideFacets.add(guide.prepareStatement(sql));
        }
        bandWords();
        if (shape.equals("deepPage") && impl.equals("ours")) {
            SearchQuery first = SearchQuery.builder().pageSize(50).build();
            SearchPage page = catalog.search().search(first);
            for (int i = 1; i < 999 && page.nextCursor() != null; i++) {
                page = catalog.search().search(first.toBuilder().cursor(page.nextCursor()).build());
            }
            deepCursor = page.nextCursor();
        }
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
        guide.close();
        dataset.close();
    }

    @Benchmark
    public long search() throws SQLException {
        boolean ours = impl.equals("ours");
        switch (shape) {
            case "commonWord":
                return ours ? ours(SearchQuery.builder().text(pick(common)).build()) : guide(pick(common), null, null, null, 0);
            case "midWord":
                return ours ? ours(SearchQuery.builder().text(pick(mid)).build()) : guide(pick(mid), null, null, null, 0);
            case "rareWord":
                return ours ? ours(SearchQuery.builder().text(pick(rare)).build()) : guide(pick(rare), null, null, null, 0);
            case "textBpmKey": {
                int key = random.nextInt(24);
                String word = pick(common);
                return ours ? ours(SearchQuery.builder().text(word).bpm(120, 130).key(MusicalKey.fromCode(key)).build())
                        : guide(word, 120.0, 130.0, key, 0);
            }
            case "bpmRange": {
                int low = 80 + random.nextInt(80);
                return ours ? ours(SearchQuery.builder().bpm(low, low + 10).build()) : guide(null, (double) low, low + 10.0, null, 0);
            }
            case "keyOnly": {
                int key = random.nextInt(24);
                return ours ? ours(SearchQuery.builder().key(MusicalKey.fromCode(key)).build()) : guide(null, null, null, key, 0);
            }
            case "noFilter":
                return ours ? ours(SearchQuery.builder().build()) : guide(null, null, null, null, 0);
            case "deepPage":
                return ours ? ours(SearchQuery.builder().pageSize(50).cursor(deepCursor).build())
                        : guide(null, null, null, null, 49_950);
            case "countCommonWord":
                return ours ? catalog.search().search(SearchQuery.builder().text(pick(common)).pageSize(1).build()).total()
                        : guideCount(pick(common));
            case "facetsCommonWord":
                return ours ? ours(SearchQuery.builder().text(pick(common)).facets(true).build()) : guideFacets(pick(common));
            default:
                throw new IllegalArgumentException("unknown shape: " + shape);
        }
    }

    private long ours(SearchQuery query) {
        SearchPage page = catalog.search().search(query);
        return page.rows().size() + page.total();
    }

    private long guide(@Nullable String text, @Nullable Double min, @Nullable Double max, @Nullable Integer key,
            int offset) throws SQLException {
        int i = 1;
        for (Object[] pair : new Object[][] {{text, Types.VARCHAR}, {min, Types.DOUBLE}, {max, Types.DOUBLE},
                {key, Types.INTEGER}, {text, Types.VARCHAR}}) {
            guideSearch.setObject(i++, pair[0], (Integer) pair[1]);
            guideSearch.setObject(i++, pair[0], (Integer) pair[1]);
        }
        guideSearch.setInt(i++, 50);
        guideSearch.setInt(i, offset);
        return drain(guideSearch);
    }

    private long guideCount(String text) throws SQLException {
        guideCount.setString(1, text);
        guideCount.setString(2, text);
        try (ResultSet rs = guideCount.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long guideFacets(String text) throws SQLException {
        long n = 0;
        for (PreparedStatement ps : guideFacets) {
            ps.setString(1, text);
            n += drain(ps);
        }
        return n;
    }

    private static long drain(PreparedStatement ps) throws SQLException {
        long n = 0;
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                n++;
            }
        }
        return n;
    }

    private String pick(List<String> words) {
        return words.get(random.nextInt(words.size()));
    }

    /** Common: in >= 10% of files; mid: 0.3-2%; rare: 10-200 files (falls back to the rarest seen). */
    private void bandWords() throws SQLException {
        long files;
        try (Statement s = guide.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM files")) {
                rs.next();
                files = rs.getLong(1);
            }
            try (ResultSet rs = s.executeQuery("""
                    SELECT word, sum(doc_files) FROM search_word_counts WHERE word ~ '^[a-z]{3,}$'
                    GROUP BY word HAVING sum(doc_files) > 0 ORDER BY 2 DESC""")) {
                String last = null;
                while (rs.next()) {
                    String word = rs.getString(1);
                    long n = rs.getLong(2);
                    double share = n / (double) files;
                    if (share >= 0.10) {
                        common.add(word);
                    } else if (share >= 0.003 && share <= 0.02) {
                        mid.add(word);
                    } else if (n >= 10 && n <= 200) {
                        rare.add(word);
                    }
                    last = word;
                }
                if (rare.isEmpty() && last != null) {
                    rare.add(last);
                }
            }
        }
        if (common.isEmpty() || mid.isEmpty()) {
            throw new IllegalStateException("dataset has no common or mid-frequency words: " + common.size() + "/" + mid.size());
        }
    }
}
