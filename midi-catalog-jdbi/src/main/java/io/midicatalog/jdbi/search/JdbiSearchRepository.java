package io.midicatalog.jdbi.search;

import io.midicatalog.api.CatalogException;
import io.midicatalog.api.Category;
import io.midicatalog.api.FacetCounts;
import io.midicatalog.api.MusicalKey;
import io.midicatalog.api.SearchHit;
import io.midicatalog.api.SearchPage;
import io.midicatalog.api.SearchQuery;
import io.midicatalog.api.SearchRepository;
import io.midicatalog.api.TimeSignature;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.Query;
import org.jspecify.annotations.Nullable;

/**
 * {@link SearchRepository} over PostgreSQL. Per search, in one read-only transaction:
 * <ol>
 *   <li>a capped count ({@link #COUNT_CAP} matches at most; exact below, estimated above from the
 *       per-word and per-value count tables);</li>
 *   <li>the page, segment by segment: when the matches are few (exact count, or an estimate under
 *       {@link #MATERIALIZE_BELOW}) they are collected by bitmap scans and sorted; when they are
 *       many, the sort index is walked and the walk stops after one page. So a common word never
 *       ranks all its matches, and a rare one never walks the whole table;</li>
 *   <li>facets when asked: precomputed without filters, exact over few matches, else from a
 *       sample of the table, scaled and flagged as estimated.</li>
 * </ol>
 * Plan caching: every statement runs with {@code plan_cache_mode = force_custom_plan} (set
 * locally in the transaction). The right plan depends on the bound word's frequency, which a
 * generic plan cannot know; a custom plan costs a fraction of a millisecond to make. Parallel
 * workers are off for the same transaction: on small machines they add more than they save on
 * queries that read a page.
 */
public final class JdbiSearchRepository implements SearchRepository {
    /** Counts are exact up to this many matches. */
    static final int COUNT_CAP = 1000;
    /** Below this many (estimated) matches a segment is materialised by bitmap scan, above walked. */
    static final long MATERIALIZE_BELOW = 4000;
    /** Facets are computed exactly over at most about this many text matches, else sampled. */
    static final long EXACT_FACETS_BELOW = 20_000;
    /** Matching rows a facet sample aims at. */
    static final double SAMPLE_TARGET_ROWS = 600;
    private static final int TOP_MANUFACTURERS = 50;

    private final Jdbi jdbi;
    private final int countCap;
    private final long materializeBelow;

    /** @param readJdbi the catalog's read Jdbi (the replica when one is configured) */
    public JdbiSearchRepository(Jdbi readJdbi) {
        this(readJdbi, COUNT_CAP, MATERIALIZE_BELOW);
    }

    /** With other thresholds: tests use tiny ones so every plan runs on a small catalog. */
    JdbiSearchRepository(Jdbi readJdbi, int countCap, long materializeBelow) {
        this.jdbi = Objects.requireNonNull(readJdbi, "readJdbi");
        if (countCap < 1 || materializeBelow < 0) {
            throw new IllegalArgumentException("countCap must be >= 1 and materializeBelow >= 0: " + countCap + ", " + materializeBelow);
        }
        this.countCap = countCap;
        this.materializeBelow = materializeBelow;
    }

    @Override
    public SearchPage search(SearchQuery query) {
        Objects.requireNonNull(query, "query");
        TextQuery text = TextQuery.parse(query.text());
        SearchSql sql = new SearchSql(query, text);
        long fingerprint = SearchCursor.fingerprint(sql.canonical());
        SearchCursor cursor = query.cursor() == null ? null : SearchCursor.decode(query.cursor(), fingerprint);
        if (cursor != null && cursor.segment() >= sql.segments().size()) {
            throw new IllegalArgumentException("cursor does not fit this sort: start again without a cursor");
        }
        try {
            return jdbi.inTransaction(handle -> {
                handle.getConnection().setReadOnly(true);
                return new Run(handle, query, text, sql, fingerprint).execute(cursor);
            });
        } catch (JdbiException | SQLException e) {
            throw new CatalogException("search failed (" + describe(query) + "): " + e.getMessage(), e);
        }
    }

    private static String describe(SearchQuery query) {
        String t = query.text() == null ? "" : query.text();
        return "text '" + (t.length() > 60 ? t.substring(0, 60) + "..." : t) + "', sort " + query.sort();
    }

    /** One search's state within its transaction. */
    private final class Run {
        private final Handle handle;
        private final SearchQuery query;
        private final TextQuery text;
        private final SearchSql sql;
        private final long fingerprint;
        private boolean bitmapOnly;
        private @Nullable Map<String, long[]> wordCounts;
        private @Nullable Map<String, Map<String, Long>> valueCounts;

        Run(Handle handle, SearchQuery query, TextQuery text, SearchSql sql, long fingerprint) {
            this.handle = handle;
            this.query = query;
            this.text = text;
            this.sql = sql;
            this.fingerprint = fingerprint;
        }

        SearchPage execute(@Nullable SearchCursor cursor) {
            handle.createQuery("SELECT set_config('plan_cache_mode', 'force_custom_plan', true),"
                    + " set_config('max_parallel_workers_per_gather', '0', true)").mapTo(String.class).list();
            // 1. count, capped
            long total;
            boolean estimate;
            String singleWord = text.singleWord();
            if (sql.unfiltered()) {
                total = totalFiles();
                estimate = false;
            } else if (sql.textOnly() && singleWord != null) {
                // one word and nothing else: the word count table knows the exact answer
                long[] c = words().get(singleWord);
                total = c == null ? 0 : Math.max(0, c[1]);
                estimate = false;
            } else {
                // A frequent single word is left to the planner (its statistics know single words;
                // a bitmap of all its matches costs tens of ms). Anything rarer, and every
                // combination of words (two common words may rarely meet, which no statistic
                // knows), is counted by bitmap scans, whose cost is bounded by the index.
                boolean frequentWord = singleWord != null && estimateMatches(false) > materializeBelow;
                bitmapOnly(sql.hasText() && !frequentWord);
                long capped = run(sql.count(countCap + 1)).mapTo(Long.class).one();
                estimate = capped > countCap;
                total = estimate ? Math.max(countCap + 1L, estimateMatches(false)) : capped;
            }
            // exact is not enough: an unfiltered total is exact and large
            boolean few = !estimate && total <= countCap;
            // 2. the page, segment by segment
            int limit = query.pageSize();
            List<Row> rows = new ArrayList<>(limit + 1);
            int first = cursor == null ? 0 : cursor.segment();
            for (int s = first; s < sql.segments().size() && rows.size() <= limit; s++) {
                boolean materialize = few || (sql.hasText() && segmentEstimate(s) <= materializeBelow);
                bitmapOnly(materialize);
                SearchSql.Segment seg = sql.segments().get(s);
                int segment = s;
                rows.addAll(run(sql.page(s, s == first ? cursor : null, limit + 1 - rows.size(), materialize))
                        .map((rs, ctx) -> Row.of(rs, seg, segment)).list());
            }
            String next = null;
            if (rows.size() > limit) {
                rows = rows.subList(0, limit);
                Row last = rows.get(limit - 1);
                next = new SearchCursor(fingerprint, last.segment, last.sortValue, last.hit.id()).encode();
            }
            // 3. facets
            FacetCounts facets = query.facets() ? facets(total, few) : null;
            return new SearchPage(rows.stream().map(r -> r.hit).toList(), next, total, estimate, facets);
        }

        private Query run(SqlStatement statement) {
            Query q = handle.createQuery(statement.sql());
            statement.bindings().forEach(q::bind);
            return q;
        }

        /**
         * Matches expected in a segment: relevance tier 1 from file-name word counts, tier 2 from
         * all words minus the file-name ones (exact for one word, else an upper bound).
         */
        private long segmentEstimate(int segment) {
            if (query.sort() != SearchQuery.Sort.RELEVANCE) {
                return estimateMatches(false);
            }
            if (segment == 0) {
                return estimateMatches(true);
            }
            long all = estimateMatches(false);
            String word = text.singleWord();
            if (word == null || totalFiles() == 0) {
                return all;
            }
            long[] c = words().get(word);
            long contextOnly = c == null ? 0 : Math.max(0, c[1] - c[0]);
            return Math.round(all * (double) contextOnly / Math.max(1, c == null ? 1 : c[1]));
        }

        /** Bitmap scans only (few matches: collect them all) or the planner's free choice. */
        private void bitmapOnly(boolean on) {
            if (on != bitmapOnly) {
                String v = on ? "off" : "on";
                handle.createQuery("SELECT set_config('enable_seqscan', :v, true), set_config('enable_indexscan', :v, true)")
                        .bind("v", v).mapTo(String.class).list();
                bitmapOnly = on;
            }
        }

        private long totalFiles() {
            Long t = values().getOrDefault("t", Map.of()).get("");
            return t == null ? 0 : Math.max(0, t);
        }

        /**
         * Matches estimated as files x share of each estimable filter (independence assumed):
         * text from the word counts (an upper bound), BPM, keys, categories, manufacturers from
         * the per-value counts. Other filters are taken as not narrowing.
         */
        private long estimateMatches(boolean fileNameTier) {
            long n = totalFiles();
            if (n == 0) {
                return 0;
            }
            double est = n;
            if (!text.isEmpty()) {
                Map<String, Long> byWord = new HashMap<>();
                words().forEach((w, c) -> byWord.put(w, c[fileNameTier ? 0 : 1]));
                est = text.upperBound(byWord, n);
            }
            Map<String, Map<String, Long>> v = values();
            if (query.bpmMin() != null || query.bpmMax() != null) {
                est *= share(v.get("b"), n, value -> bpmBucketMatches(Integer.parseInt(value)));
            }
            if (!query.effectiveKeys().isEmpty()) {
                var codes = query.effectiveKeys().stream().map(k -> Integer.toString(k.code())).toList();
                est *= share(v.get("k"), n, codes::contains);
            }
            if (!query.categories().isEmpty()) {
                var codes = query.categories().stream().map(c -> Integer.toString(c.code())).toList();
                est *= share(v.get("c"), n, codes::contains);
            }
            if (!query.manufacturers().isEmpty()) {
                est *= share(v.get("m"), n, query.manufacturers()::contains);
            }
            return Math.round(est);
        }

        private boolean bpmBucketMatches(int floorBpm) {
            if (floorBpm < 0) {
                return false;
            }
            float min = query.bpmMin() == null ? 0 : query.bpmMin();
            float max = query.bpmMax() == null ? 1000 : query.bpmMax();
            boolean hit = floorBpm <= max && floorBpm + 1 > min;
            if (query.bpmHalfDouble()) {
                hit |= floorBpm <= max / 2 && floorBpm + 1 > min / 2;
                hit |= floorBpm <= max * 2 && floorBpm + 1 > min * 2;
            }
            return hit;
        }

        private static double share(@Nullable Map<String, Long> counts, long n,
                java.util.function.Predicate<String> matches) {
            if (counts == null) {
                return 0;
            }
            long sum = 0;
            for (var e : counts.entrySet()) {
                if (matches.test(e.getKey())) {
                    sum += e.getValue();
                }
            }
            return Math.min(1.0, (double) sum / n);
        }

        private Map<String, long[]> words() {
            if (wordCounts == null) {
                Map<String, long[]> m = new HashMap<>();
                run(SearchSql.wordCounts(List.copyOf(text.positiveWords())))
                        .map((rs, ctx) -> Map.entry(rs.getString("word"), new long[] {rs.getLong("name_files"), rs.getLong("doc_files")}))
                        .forEach(e -> m.put(e.getKey(), e.getValue()));
                wordCounts = m;
            }
            return wordCounts;
        }

        private Map<String, Map<String, Long>> values() {
            if (valueCounts == null) {
                valueCounts = groupCounts(run(SearchSql.valueCounts(query.facets() && sql.unfiltered() ? null : query.manufacturers())));
            }
            return valueCounts;
        }

        private static Map<String, Map<String, Long>> groupCounts(Query q) {
            Map<String, Map<String, Long>> m = new HashMap<>();
            q.map((rs, ctx) -> new Object[] {rs.getString(1), rs.getString(2), rs.getLong(3)}).forEach(r ->
                    m.computeIfAbsent((String) r[0], k -> new HashMap<>()).merge((String) r[1], (Long) r[2], Long::sum));
            return m;
        }

        private FacetCounts facets(long total, boolean few) {
            Map<String, Map<String, Long>> counts;
            boolean estimated = false;
            if (sql.unfiltered()) {
                counts = new HashMap<>(values());
                Map<String, Long> buckets = new HashMap<>();
                counts.getOrDefault("b", Map.of()).forEach((v, c) -> {
                    int floor = Integer.parseInt(v);
                    int bucket = floor < 0 ? -1 : Math.floorDiv(floor, FacetCounts.BPM_BUCKET_WIDTH) * FacetCounts.BPM_BUCKET_WIDTH;
                    buckets.merge(Integer.toString(bucket), c, Long::sum);
                });
                counts.put("b", buckets);
            } else if (few || (sql.hasText() && total <= EXACT_FACETS_BELOW)) {
                bitmapOnly(sql.hasText());
                counts = groupCounts(run(sql.facets(null)));
            } else {
                double percent = Math.max(0.05, Math.min(100.0, 100.0 * SAMPLE_TARGET_ROWS / Math.max(1, total)));
                bitmapOnly(false);
                counts = groupCounts(run(sql.facets(percent)));
                long sampled = counts.getOrDefault("t", Map.of()).getOrDefault("", 0L);
                double scale = sampled == 0 ? 0 : (double) total / sampled;
                counts.replaceAll((dim, byValue) -> {
                    Map<String, Long> scaled = new HashMap<>();
                    byValue.forEach((v, c) -> scaled.put(v, Math.round(c * scale)));
                    return scaled;
                });
                estimated = true;
            }
            Map<MusicalKey, Long> byKey = new java.util.EnumMap<>(MusicalKey.class);
            counts.getOrDefault("k", Map.of()).forEach((v, c) -> { if (c > 0) byKey.put(MusicalKey.fromCode(Integer.parseInt(v)), c); });
            Map<Integer, Long> byBpm = new java.util.TreeMap<>();
            counts.getOrDefault("b", Map.of()).forEach((v, c) -> { if (c > 0) byBpm.put(Integer.parseInt(v), c); });
            Map<Category, Long> byCategory = new java.util.EnumMap<>(Category.class);
            counts.getOrDefault("c", Map.of()).forEach((v, c) -> {
                int code = Integer.parseInt(v);
                if (c > 0 && code >= 0 && code < Category.values().length) {
                    byCategory.merge(Category.fromCode(code), c, Long::sum);
                }
            });
            Map<String, Long> byManufacturer = new LinkedHashMap<>();
            counts.getOrDefault("m", Map.of()).entrySet().stream()
                    .filter(e -> e.getValue() > 0)
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .limit(TOP_MANUFACTURERS)
                    .forEach(e -> byManufacturer.put(e.getKey(), e.getValue()));
            return new FacetCounts(byKey, byBpm, byCategory, byManufacturer, estimated);
        }
    }

    /** A hit with where it sits in the sort (for the cursor). */
    private record Row(SearchHit hit, int segment, @Nullable Object sortValue) {
        static Row of(ResultSet rs, SearchSql.Segment seg, int segment) throws SQLException {
            float bpm = rs.getFloat("bpm");
            Float bpmValue = rs.wasNull() ? null : bpm;
            double duration = rs.getDouble("duration_seconds");
            Double durationValue = rs.wasNull() ? null : duration;
            int num = rs.getInt("time_sig_num");
            boolean hasNum = !rs.wasNull();
            int den = rs.getInt("time_sig_den");
            boolean hasDen = !rs.wasNull();
            TimeSignature ts = null;
            if (hasNum && hasDen && num >= 1 && num <= 255 && den >= 1 && den <= 64 && Integer.bitCount(den) == 1) {
                ts = new TimeSignature(num, den);
            }
            int category = rs.getInt("category");
            SearchHit hit = new SearchHit(rs.getLong("id"), rs.getString("filepath"), rs.getString("filename"),
                    rs.getString("manufacturer"), rs.getString("collection"), bpmValue,
                    MusicalKey.fromCode(rs.getInt("key_code")), ts, durationValue,
                    category >= 0 && category < Category.values().length ? Category.fromCode(category) : Category.UNKNOWN,
                    rs.getBoolean("favorite"), rs.getDouble("rank"));
            Object sortValue = switch (seg.type()) {
                case TIMESTAMP -> {
                    OffsetDateTime t = rs.getObject("sort_value", OffsetDateTime.class);
                    yield ChronoUnit.MICROS.between(java.time.Instant.EPOCH, t.toInstant());
                }
                case FLOAT -> rs.getFloat("sort_value");
                case DOUBLE -> rs.getDouble("sort_value");
                case TEXT -> rs.getString("sort_value");
                case NONE -> null;
            };
            return new Row(hit, segment, sortValue);
        }
    }
}
