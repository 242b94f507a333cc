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
import io.midicatalog.internal.DataSources;
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
 *   <li>a count: exact from the count tables (no filter; one word alone), else capped
 *       ({@link #COUNT_CAP} matches at most; exact below, estimated above from the per-word and
 *       per-value counts), or none when page 1 of few expected matches is not full;</li>
 *   <li>the page, segment by segment: a segment's matches are collected by bitmap scans and
 *       sorted, or the sort index is walked until the page is full, whichever the frequencies
 *       say is cheaper ({@code materializeCheaper}). So a common word never ranks all its
 *       matches, and a rare one never walks the whole table;</li>
 *   <li>facets when asked: from the count tables without filters, exact over few matches, else
 *       from a sample of the table, scaled and flagged as estimated.</li>
 * </ol>
 * Round trips: the settings, the count and the segments expected to fill the page go to the
 * server as one multi-statement batch (one Sync), then the commit. Text with several words or
 * with other filters, and filters the count tables do not cover (with or without text), send
 * the capped count first (two batches), see {@code Run.execute}. The
 * frequencies that choose plans come from {@link SearchStats} (cached for a few seconds).
 *
 * <p>Plans: every statement runs with {@code plan_cache_mode = force_custom_plan} (set locally
 * in the transaction). The right plan depends on the bound word's frequency (and on the key's),
 * which a generic plan cannot know; measured at 1M rows, planning a search statement on a warm
 * connection takes 0.09-0.14 ms against 2-30 ms of execution, so a generic plan would save
 * little and risk the wrong scan. Parallel workers are off for the same transaction: on small
 * machines they add more than they save on queries that read a page.
 */
public final class JdbiSearchRepository implements SearchRepository {
    /** Counts are exact up to this many matches. */
    static final int COUNT_CAP = 1000;
    /**
     * With one word, no filter and a page of 50 in a million files, below this many matches a
     * segment is collected by bitmap scan, above walked (the crossover the prototype measured);
     * it calibrates the cost comparison for other shapes. 0 (tests): never collect unless few.
     */
    static final long MATERIALIZE_BELOW = 4000;
    /**
     * Facets are computed exactly over at most about this many text matches, else sampled. An
     * exact GROUP BY reads every match from the heap: 20,000 cost 53 ms p50 at 100K rows
     * (SearchShapeBenchmark facetsCommonWord), past the 20 ms facet target; 5,000 stays near it.
     */
    static final long EXACT_FACETS_BELOW = 5_000;
    /** What walking one row costs against collecting one candidate (see materializeCheaper). */
    static final double WALK_ROW_COST = 0.3;
    /**
     * What walking one row costs, relative to a collected one, when the date index rejects it by
     * its word signature (an index-only row against a heap row with a tsvector test).
     */
    static final double SIGNATURE_ROW_COST = 0.03;
    /**
     * How much more a walk may read down a sort order whose values go with the words: file names
     * hold the words, so a word's matches bunch in the name order ("glassy" starts many names:
     * its first 51 matches by name lay 321K rows down the index at 1M files, where an even spread
     * of its 35.8K matches put them at 1,400; 1,046 ms against 114 ms collecting all of them),
     * and a number word bunches in the BPM order.
     */
    static final double CORRELATED_WALK_PENALTY = 100;
    /**
     * Costs of a counting walk and of a collection (see walkCountBound), relative to a heap row
     * read by a bitmap scan (0.8 us at 1M files on 2 cores): a file tested by a walk (a primary
     * key probe and its heap row: 1.1-3.5 us), an index entry the walk skips (~0.1 us), a GIN
     * item put in the bitmap (~0.15 us). Measured with "drum" (229K files) and a duration range,
     * a format, a note-count range and favorites at 1M files.
     */
    static final double WALK_TEST_COST = 3;
    static final double WALK_ENTRY_COST = 0.12;
    static final double GIN_ITEM_COST = 0.2;
    /**
     * A posting the text index's scan decodes and compares when it intersects the words with a
     * GM family or a time signature (~35 ns), in the same unit: "drum" (229K files) in 4/4 (880K)
     * cost 73 ms, in a 16% family 23 ms, at 1M files.
     */
    static final double GIN_POSTING_COST = 0.044;
    /**
     * A row a sequential scan reads and tests (0.45-0.55 us), and a heap page a bitmap scan reads
     * for one sparse match (~7 us), in the same unit: measured with capped counts of time
     * signatures and GM families at 1M files.
     */
    static final double SCAN_ROW_COST = 0.6;
    static final double SPARSE_HEAP_ROW_COST = 9;
    /** An entry an index-only scan of files_created reads and tests (~0.13 us), in the same unit. */
    static final double INDEX_ONLY_ROW_COST = 0.17;
    /** Signature bits a file name / a whole search document sets on average (2 per word). */
    private static final double NAME_SIGNATURE_BITS = 9;
    private static final double DOC_SIGNATURE_BITS = 18;
    /** The page (rows + 1) and catalog size at which {@link #MATERIALIZE_BELOW} was measured. */
    private static final double DEFAULT_PAGE_ROWS = 51;
    private static final double REFERENCE_FILES = 1_000_000;
    /** Matching rows a facet sample aims at. */
    static final double SAMPLE_TARGET_ROWS = 600;
    private static final int TOP_MANUFACTURERS = 50;

    /** The first row estimate in an {@code EXPLAIN (FORMAT JSON)} plan: the top node's. */
    private static final java.util.regex.Pattern PLAN_ROWS = java.util.regex.Pattern.compile("\"Plan Rows\":\\s*([0-9.eE+-]+)");

    /** How long cached word and value frequencies are used (they only choose plans; see SearchStats). */
    static final long STATS_TTL_NANOS = 5_000_000_000L;

    /** The facets of a search that matches nothing. */
    private static final FacetCounts NO_FACETS = new FacetCounts(Map.of(), Map.of(), Map.of(), Map.of(), false);

    private final Jdbi jdbi;
    private final SearchStats stats = new SearchStats(STATS_TTL_NANOS);
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
        long fingerprint = SearchCursor.fingerprint(SearchSql.canonical(query));
        SearchCursor cursor = query.cursor() == null ? null : SearchCursor.decode(query.cursor(), fingerprint);
        if (text.matchesNothing()) {
            // a word no index can hold: no file matches, and the database need not be asked
            return new SearchPage(List.of(), null, 0, false, query.facets() ? NO_FACETS : null);
        }
        SearchSql sql = new SearchSql(query, text);
        if (cursor != null && cursor.segment() >= sql.segments().size()) {
            throw new IllegalArgumentException("cursor does not fit this sort: start again without a cursor");
        }
        try {
            return jdbi.withHandle(handle -> {
                if (!handle.getConnection().getAutoCommit() && DataSources.insideTransaction(handle.getConnection())) {
                    // the application's open transaction (a transaction-aware DataSource): a
                    // savepoint rolled back afterwards ends the search's planner settings
                    // (set_config, local to the transaction) and leaves the application's work as it was
                    java.sql.Savepoint savepoint = handle.getConnection().setSavepoint();
                    try {
                        return new Run(handle, query, text, sql, fingerprint).execute(cursor);
                    } finally {
                        handle.getConnection().rollback(savepoint);
                        handle.getConnection().releaseSavepoint(savepoint);
                    }
                }
                // read-only for the search's own transaction, then as it was: a connection that
                // outlives the handle (a DataSource that hands one out again) must not stay read-only
                boolean wasReadOnly = handle.getConnection().isReadOnly();
                try {
                    return handle.inTransaction(h -> {
                        h.getConnection().setReadOnly(true);
                        return new Run(h, query, text, sql, fingerprint).execute(cursor);
                    });
                } finally {
                    if (!wasReadOnly) {
                        handle.getConnection().setReadOnly(false);
                    }
                }
            });
        } catch (JdbiException | SQLException e) {
            throw new CatalogException("search failed (" + describe(query) + "): " + e.getMessage(), e);
        }
    }

    /** Forgets the cached word and value frequencies (after a write: plans are chosen from them). */
    public void invalidateStatistics() {
        stats.invalidate();
    }

    private static String describe(SearchQuery query) {
        String t = query.text() == null ? "" : query.text();
        return "text '" + (t.length() > 60 ? t.substring(0, 60) + "..." : t) + "', sort " + query.sort();
    }

    /** Reads one statement's result set. */
    @FunctionalInterface
    private interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /**
     * Statements sent in one round trip: pgjdbc sends a multi-statement text as one pipeline of
     * Parse/Bind/Execute messages with a single Sync, and the server runs them in order (so a
     * {@code set_config} applies to the planning of the statements after it).
     */
    private static final class Batch {
        private final List<SqlStatement> statements = new ArrayList<>();
        private final List<Reader<?>> readers = new ArrayList<>();

        int add(SqlStatement statement, Reader<?> reader) {
            statements.add(statement);
            readers.add(reader);
            return statements.size() - 1;
        }

        boolean isEmpty() {
            return statements.isEmpty();
        }

        /** Runs the statements through Jdbi (so its SQL logger, e.g. the slow-query log, sees them). */
        List<Object> run(Handle handle) {
            StringBuilder text = new StringBuilder();
            List<Object> values = new ArrayList<>();
            for (SqlStatement st : statements) {
                SqlStatement.Positional p = st.positional();
                if (text.length() > 0) {
                    text.append(";\n");
                }
                text.append(p.sql());
                values.addAll(p.values());
            }
            List<Reader<?>> reading = List.copyOf(readers);
            statements.clear();
            readers.clear();
            try (Query q = handle.createQuery(text.toString())) {
                for (int i = 0; i < values.size(); i++) {
                    q.bind(i, values.get(i));
                }
                return q.execute((supplier, ctx) -> {
                    java.sql.PreparedStatement ps = supplier.get();
                    List<Object> results = new ArrayList<>(reading.size());
                    try {
                        for (int i = 0; i < reading.size(); i++) {
                            if (i > 0) {
                                ps.getMoreResults();
                            }
                            try (ResultSet rs = ps.getResultSet()) {
                                results.add(reading.get(i).read(rs));
                            }
                        }
                    } catch (SQLException e) {
                        throw new org.jdbi.v3.core.result.ResultSetException("could not read search results", e, ctx);
                    }
                    return results;
                });
            }
        }
    }

    private enum CountMode {
        /** Read exactly from a count table (no filter: all files; one word alone: its file count). */
        TABLE,
        /** Page 1 of few expected matches: the page counts itself when it is not full. */
        FROM_PAGE,
        /** Count at most cap + 1 matches; above the cap, estimate. */
        CAPPED
    }

    /** One search's state within its transaction. */
    private final class Run {
        private final Handle handle;
        private final SearchQuery query;
        private final TextQuery text;
        private SearchSql sql;
        private final long fingerprint;
        /** The scan setting in force in this transaction, null before the first statement. */
        private SearchSql.@Nullable Scan scan;
        private @Nullable Map<String, long[]> wordCounts;
        /**
         * Share of the matches in relevance tier 1 among the first {@code countCap + 1} collected
         * (a sample: the collection stopped at the cap), or -1 when none was taken.
         */
        private double sampledFirstShare = -1;
        /** {@link #estimateMatches estimateMatches(false)} once computed, else -1. */
        private long estimated = -1;
        /** What the capped count found before the page was planned (cap + 1 means at least that many), else 0. */
        private long countedAtLeast;
        /** The share of the files passing the filters the count tables cannot estimate, -1 before it is read. */
        private double uncountedShare = -1;

        Run(Handle handle, SearchQuery query, TextQuery text, SearchSql sql, long fingerprint) {
            this.handle = handle;
            this.query = query;
            this.text = text;
            this.sql = sql;
            this.fingerprint = fingerprint;
        }

        /**
         * Usually one round trip plus the commit: the settings, the exact or capped count and the
         * page's segments go in one batch, their plans chosen from the cached frequencies. Two
         * when the text has several words or comes with other filters (the capped count comes
         * first: frequencies cannot tell two common words that rarely meet from two that always
         * do, nor a word from its key, and walking the sort index for rare combinations reads the
         * whole table or the whole key), when a filter the count tables do not cover is set
         * (their estimate comes from the planner's statistics, which cannot tell few from none),
         * or when a guess was off
         * (a segment expected to fill the page did not, a page expected to count itself was full).
         */
        SearchPage execute(@Nullable SearchCursor cursor) throws SQLException {
            sql = sql.withFiltersOnHeap(filtersOnHeap());
            String singleWord = text.singleWord();
            // Frequencies multiply as if independent, and a word with a key or a BPM range often is
            // not ("drum" files in key A minor at 120-130 BPM: 0, estimated 160; walking the key's
            // index for them read all its 38K rows, 318 ms): with text and anything else, count
            // first; a known count under the cap then collects, one over it makes walking safe.
            // The same without text for the filters the count tables do not cover: the planner's
            // statistics cannot tell few files from none (a GM family no file has: 5,000 estimated
            // at 1M files, and the newest-first walk for them read the whole date index, 0.5-1.6 s).
            boolean reliableEstimate = (text.isEmpty() && !sql.hasUncountedFilters()) || (singleWord != null && sql.textOnly());
            int limit = query.pageSize();
            CountMode mode;
            if (sql.unfiltered() || (sql.textOnly() && singleWord != null)) {
                mode = CountMode.TABLE;
            } else if (cursor == null && reliableEstimate && est() <= limit) {
                mode = CountMode.FROM_PAGE;
            } else {
                mode = CountMode.CAPPED;
            }
            Batch batch = new Batch();
            int countAt = -1;
            Long counted = null;
            boolean few;
            List<Row> rows = new ArrayList<>(limit + 1);
            int first = cursor == null ? 0 : cursor.segment();
            int s = first;
            if (mode == CountMode.CAPPED && !reliableEstimate && cursor == null && sql.hasText() && sql.collectable()) {
                // count and, when few, the first page from one collection of the matches, or from a
                // bounded walk of the date index when that looks cheaper and ends conclusively
                Collected c = null;
                long bound = walkCountBound();
                if (bound > 0) {
                    settings(batch, SearchSql.Scan.WALK);
                    int at = batch.add(sql.walkFirstPage(countCap + 1, limit + 1, bound), Collected::read);
                    c = (Collected) batch.run(handle).get(at);
                    if (c.truncated() && c.total() <= countCap) {
                        c = null; // the bound came first: fewer matches than the cap prove nothing
                    }
                }
                if (c == null) {
                    settings(batch, SearchSql.Scan.BITMAP);
                    int at = batch.add(sql.collectFirstPage(countCap + 1, limit + 1), Collected::read);
                    c = (Collected) batch.run(handle).get(at);
                }
                counted = c.total();
                countedAtLeast = counted;
                few = counted <= countCap;
                if (few) {
                    rows.addAll(c.rows());
                    s = sql.segments().size();
                } else if (sql.segments().size() > 1) {
                    sampledFirstShare = (double) c.firstSegment() / Math.max(1, c.total());
                }
            } else if (mode == CountMode.CAPPED && !reliableEstimate) {
                countAt = addCount(batch, mode, singleWord);
                counted = (Long) batch.run(handle).get(countAt);
                countedAtLeast = counted;
                countAt = -1;
                few = counted <= countCap;
            } else {
                if (mode != CountMode.FROM_PAGE) {
                    countAt = addCount(batch, mode, singleWord);
                }
                // the cached frequency stands in for the count still in the batch
                few = est() <= countCap;
            }
            if (counted != null && counted == 0) {
                s = sql.segments().size(); // no segment can hold a row
            }
            // the page, segment by segment: a batch holds the segments expected to fill it
            while (s < sql.segments().size() && rows.size() <= limit) {
                List<Integer> pageAt = new ArrayList<>();
                long expected = 0;
                boolean all = few && counted != null && counted <= limit;
                do {
                    boolean materialize = few || materializeCheaper(s, limit + 1 - rows.size());
                    settings(batch, sql.pageScan(s, materialize));
                    SearchSql.Segment seg = sql.segments().get(s);
                    int segment = s;
                    pageAt.add(batch.add(sql.page(s, s == first ? cursor : null, limit + 1 - rows.size(), materialize,
                                    nameIndexPays()),
                            rs -> {
                                List<Row> list = new ArrayList<>();
                                while (rs.next()) {
                                    list.add(Row.of(rs, seg, segment));
                                }
                                return list;
                            }));
                    expected += segmentEstimate(s);
                    s++;
                } while (s < sql.segments().size() && (all || expected <= limit - rows.size()));
                List<Object> results = batch.run(handle);
                if (countAt >= 0) {
                    counted = (Long) results.get(countAt);
                    countAt = -1;
                }
                for (int at : pageAt) {
                    @SuppressWarnings("unchecked")
                    List<Row> page = (List<Row>) results.get(at);
                    rows.addAll(page);
                }
            }
            if (rows.size() > limit + 1) {
                rows = new ArrayList<>(rows.subList(0, limit + 1));
            }
            long total;
            boolean estimate;
            if (mode == CountMode.FROM_PAGE && rows.size() <= limit) {
                total = rows.size();
                estimate = false;
            } else {
                if (counted == null) {
                    // the page was fuller than its frequencies said: count after all
                    int at = addCount(batch, CountMode.CAPPED, singleWord);
                    counted = (Long) batch.run(handle).get(at);
                    mode = CountMode.CAPPED;
                }
                if (mode == CountMode.TABLE) {
                    total = Math.max(0, counted);
                    estimate = false;
                } else {
                    estimate = counted > countCap;
                    total = estimate ? Math.max(countCap + 1L, Math.round(matchEstimate())) : counted;
                }
            }
            few = !estimate && total <= countCap;
            String next = null;
            if (rows.size() > limit) {
                rows = rows.subList(0, limit);
                Row last = rows.get(limit - 1);
                next = new SearchCursor(fingerprint, last.segment, last.sortValue, last.hit.id()).encode();
            }
            // facets
            FacetCounts facets = !query.facets() ? null
                    : total == 0 && !estimate ? NO_FACETS
                    : facets(total, few);
            return new SearchPage(rows.stream().map(r -> r.hit).toList(), next, total, estimate, facets);
        }

        /** Adds the count statement (with its settings) to the batch; returns its result index. */
        private int addCount(Batch batch, CountMode mode, @Nullable String singleWord) {
            Reader<Long> one = rs -> {
                rs.next();
                return rs.getLong(1);
            };
            if (mode == CountMode.TABLE) {
                settings(batch, SearchSql.Scan.FREE);
                return batch.add(sql.unfiltered() ? SearchSql.fileTotal() : SearchSql.wordTotal(Objects.requireNonNull(singleWord)), one);
            }
            // A frequent single word is left to the planner (its statistics know single words; a
            // bitmap of all its matches costs tens of ms). Anything rarer, and every combination
            // of words (two common words may rarely meet, which no statistic knows), is counted by
            // bitmap scans, whose cost is bounded by the index.
            boolean frequentWord = singleWord != null && est() > materializeBelow;
            settings(batch, sql.hasText() && !frequentWord ? SearchSql.Scan.BITMAP
                    : scanCountCheaper() ? SearchSql.Scan.SCAN : SearchSql.Scan.FREE);
            return batch.add(sql.count(countCap + 1), one);
        }

        /**
         * Whether a capped count without text should scan the table rather than let the planner
         * take the text index's bitmap for a GM family or a time signature. The bitmap costs
         * {@link #GIN_ITEM_COST} per file passing the filter, then a heap page per match up to
         * cap + 1 ({@link #SPARSE_HEAP_ROW_COST}: such matches rarely share a page); the scan
         * {@link #SCAN_ROW_COST} per row until cap + 1 match, or {@link #INDEX_ONLY_ROW_COST}
         * when every filter is on the date index's included columns (schema V13), which the
         * planner then scans index-only. At 1M files that puts the crossover near a 3.7% share
         * (1.4% index-only); the planner prices the bitmap far lower and took it for 3/4 (5%:
         * 18 ms, the table scan 10 ms) and for a 14% GM family (35 ms, the table scan 4 ms).
         */
        private boolean scanCountCheaper() {
            long files = totalFiles();
            if (sql.hasText() || !sql.narrowsBeyondWalk() || files == 0) {
                return false;
            }
            double matches = Math.max(1.0, est());
            double bitmap = GIN_ITEM_COST * matches + SPARSE_HEAP_ROW_COST * Math.min(matches, countCap + 1);
            double row = sql.onDateIndexOnly() ? INDEX_ONLY_ROW_COST : SCAN_ROW_COST;
            double scan = row * Math.min(files, (countCap + 1) * files / matches);
            return scan < bitmap;
        }

        /**
         * Whether a collected relevance tier 1 should AND the file-name index's bitmap with the
         * text index's (see {@link SearchSql#page(int, SearchCursor, int, boolean, boolean)}):
         * when putting every file naming the words in a bitmap ({@link #GIN_ITEM_COST} each)
         * costs less than testing the file name on the heap rows the text index yields with the
         * filters it holds (one each, {@link #docIndexRows}). Tests (materializeBelow 0) take both ways, by the query's fingerprint.
         */
        private boolean nameIndexPays() {
            if (materializeBelow == 0) {
                return (fingerprint & 2) == 0;
            }
            return GIN_ITEM_COST * textEstimate(0) < docIndexRows();
        }

        /**
         * The files the text index yields for the words and the filters it holds (key, category,
         * GM families and time signature placed there): the rows a collection reads from the heap.
         */
        private double docIndexRows() {
            long files = totalFiles();
            if (files == 0) {
                return 0;
            }
            return text.upperBound(filesByWord(false), files) * indexedShare() * keysAndCategoriesShare(values(), files);
        }

        /** The share of the files in the query's keys and categories (from the per-value counts; 1 without). */
        private double keysAndCategoriesShare(Map<String, Map<String, Long>> v, long files) {
            double share = 1.0;
            if (!query.effectiveKeys().isEmpty()) {
                var codes = query.effectiveKeys().stream().map(k -> Integer.toString(k.code())).toList();
                share *= share(v.get("k"), files, codes::contains);
            }
            if (!query.categories().isEmpty()) {
                var codes = query.categories().stream().map(c -> Integer.toString(c.code())).toList();
                share *= share(v.get("c"), files, codes::contains);
            }
            return share;
        }

        /** The share of the files passing the GM families and time signature that the text index holds (1 without). */
        private double indexedShare() {
            double share = 1.0;
            for (SearchSql.IndexedFilter filter : sql.indexedFiltersInIndex()) {
                share *= indexedFilterShare(filter);
            }
            return share;
        }

        /**
         * The share of the files passing the filters without count tables that a walk checks on
         * the date index (duration, note count, percussive; schema V12), 1 without: from the
         * planner's statistics, cached like the others.
         */
        private double walkCheckedShare() {
            SqlStatement explain = sql.walkCheckedRows();
            return explain == null ? 1.0 : stats.share(sql.walkCheckedKey(), () -> plannedShare(explain));
        }

        /** One indexed filter's share of the files, from the planner's statistics (cached like the others). */
        private double indexedFilterShare(SearchSql.IndexedFilter filter) {
            return stats.share(sql.indexedFilterKey(filter), () -> plannedShare(sql.indexedFilterRows(filter)));
        }

        /**
         * The GM families and time signature to test on the heap rather than in the text index
         * (see {@link SearchSql#withFiltersOnHeap}). With text, the index walks the words' and
         * the filter's postings ({@link #GIN_POSTING_COST} each) and puts the files passing both
         * in the bitmap; on the heap, the words' files go in the bitmap and are read until cap + 1
         * pass. A filter that few files pass belongs in the index ("drum" in a 1% GM family:
         * 9.6 against 270 ms at 1M files), one that most pass on the heap ("drum" in 4/4: 40
         * against 73 ms). Without text the index is the only way to find a rare value. The tests
         * (materializeBelow 0) place them by the query's fingerprint, so both forms run.
         */
        private java.util.Set<SearchSql.IndexedFilter> filtersOnHeap() {
            java.util.Set<SearchSql.IndexedFilter> onHeap = java.util.EnumSet.noneOf(SearchSql.IndexedFilter.class);
            if (!sql.hasText() || sql.indexedFilters().isEmpty()) {
                return onHeap; // most searches: nothing to place, no statistics to read
            }
            long files = totalFiles();
            if (files == 0) {
                return onHeap;
            }
            if (materializeBelow == 0) {
                if ((fingerprint & 1) == 0) {
                    onHeap.addAll(sql.indexedFilters());
                }
                return onHeap;
            }
            double words = text.upperBound(filesByWord(false), files);
            for (SearchSql.IndexedFilter filter : sql.indexedFilters()) {
                double share = indexedFilterShare(filter);
                double both = words * share;
                double inIndex = GIN_POSTING_COST * (words + share * files) + GIN_ITEM_COST * both + Math.min(countCap + 1, both);
                double onRows = GIN_ITEM_COST * words + Math.min(words, (countCap + 1) / Math.max(share, 1e-9));
                if (onRows < inIndex) {
                    onHeap.add(filter);
                }
            }
            return onHeap;
        }

        /** Adds the settings statement when the bitmap-only choice differs from the one in force. */
        private void settings(Batch batch, SearchSql.Scan wanted) {
            if (scan != wanted) {
                batch.add(SearchSql.settings(wanted), rs -> null);
                scan = wanted;
            }
        }

        /** Runs one statement now, under the given bitmap-only setting. */
        private <T> T runNow(SqlStatement statement, boolean bitmap, Reader<T> reader) throws SQLException {
            Batch batch = new Batch();
            settings(batch, bitmap ? SearchSql.Scan.BITMAP : SearchSql.Scan.FREE);
            int at = batch.add(statement, reader);
            @SuppressWarnings("unchecked")
            T result = (T) batch.run(handle).get(at);
            return result;
        }

        private Query run(SqlStatement statement) {
            Query q = handle.createQuery(statement.sql());
            statement.bindings().forEach(q::bind);
            return q;
        }

        /** The cache's loader: runs in this search's transaction. */
        private final SearchStats.Loader loader = new SearchStats.Loader() {
            @Override
            public Map<String, long[]> words(List<String> words) {
                Map<String, long[]> m = new HashMap<>();
                run(SearchSql.wordCounts(words))
                        .map((rs, ctx) -> Map.entry(rs.getString("word"), new long[] {rs.getLong("name_files"), rs.getLong("doc_files")}))
                        .forEach(e -> m.put(e.getKey(), e.getValue()));
                return m;
            }

            @Override
            public Map<String, Map<String, Long>> values() {
                return groupCounts(run(SearchSql.valueCounts(null)));
            }
        };

        /**
         * Whether collecting a text segment's matches by bitmap and sorting them costs less than
         * walking the sort index until {@code rows} matches have passed the filters. Collecting
         * fetches every candidate the GIN index yields (the word's files, narrowed by the key
         * inside the index when one key is asked; BPM and the rest are checked on the heap).
         * Walking fetches rows / density rows of the walked range: the key's files when one key
         * is asked and the order is by date (its (key, created_at) index), else all files. A
         * walked row counts {@link #WALK_ROW_COST} of a collected one (the date walk reads the
         * heap in about insertion order; collecting also sorts): with one word and no filter
         * that puts the crossover at about {@code materializeBelow} matches in a million files,
         * where the prototype measured it. Without text nothing is collected.
         */
        private boolean materializeCheaper(int segment, int rows) {
            if (!sql.hasText() || materializeBelow == 0) {
                return false;
            }
            double matches = segmentEstimate(segment);
            long files = Math.max(1, totalFiles());
            if (matches <= 0) {
                return true;
            }
            List<MusicalKey> keys = query.effectiveKeys();
            double keyShare = keys.size() == 1 ? share(values().get("k"), files,
                    Integer.toString(keys.get(0).code())::equals) : 1.0;
            double textMatches = textEstimate(segment);
            if (text.singleWord() == null) {
                // Several words: the rarest word's count bounds the matches but is far off for
                // words that meet in few files (a phrase of two 3% words: bound 30K, 1,062 files
                // hold both; walking the date index for them read ~50K rows, 0.5-1 s). Words
                // meeting as if independent came within a few % of that; take it for both sides.
                Map<String, Long> byWord = filesByWord(query.sort() == SearchQuery.Sort.RELEVANCE && segment == 0);
                // never fewer than the capped count found: words that meet more often than
                // independent ones ("drums" + a mid word: 600 expected, over 2,000 found) were
                // otherwise collected whole for a tier a short walk would fill (14 ms against ~3).
                // The count covers both relevance tiers: tier 1 takes its sampled share of it, and
                // nothing without a sample (later pages), since a sparse tier 1 walked is the whole index.
                boolean nameTier = query.sort() == SearchQuery.Sort.RELEVANCE && segment == 0;
                double found = !nameTier ? countedAtLeast : sampledFirstShare >= 0 ? countedAtLeast * sampledFirstShare : 0;
                double independent = Math.max(text.independentEstimate(byWord, files), found);
                if (textMatches > 0 && independent < textMatches) {
                    matches = Math.max(1, matches * independent / textMatches);
                    textMatches = independent;
                }
            }
            if (sampledFirstShare >= 0 && query.sort() == SearchQuery.Sort.RELEVANCE) {
                // The capped count's collection saw how the matches split between the tiers: words
                // that often meet in documents may never meet in file names ("drum chords": 17.6K
                // files, none by name; as if independent, 24K name matches, and the walk for them
                // read the whole date index, 177 ms). No tier-1 match in the sample: collect it.
                matches = matchEstimate() * (segment == 0 ? sampledFirstShare : 1 - sampledFirstShare);
                if (matches < 1) {
                    return true;
                }
            }
            // the text index also narrows the candidates by the GM families and time signature it holds
            double candidates = textMatches * keyShare * indexedShare();
            double walked = sql.walksByKey() ? files * keyShare : files;
            double walkCost = WALK_ROW_COST * rows * walked / matches;
            if (sortGoesWithWords()) {
                walkCost *= CORRELATED_WALK_PENALTY;
            }
            if (sql.signatureWalk(segment)) {
                // The index rejects most walked files: only its false positives cost a row read,
                // and the files holding the words that the filters no walked index holds reject
                // (favorites, GM families, tags...): about rows x (1 / their share - 1).
                walkCost *= (SIGNATURE_ROW_COST + falsePositives(segment)) / WALK_ROW_COST;
                double heapShare = Math.min(1.0, uncountedShare() / Math.max(walkCheckedShare(), 1e-6));
                walkCost += rows * (1 / Math.max(heapShare, 1e-6) - 1);
            }
            // calibration: one word in N files collects m and walks WALK_ROW_COST * rows * N / m rows
            double scale = (double) materializeBelow * materializeBelow / (WALK_ROW_COST * DEFAULT_PAGE_ROWS * REFERENCE_FILES);
            return candidates <= walkCost * scale;
        }

        /**
         * How many files a counting walk ({@link SearchSql#walkFirstPage}) may read from the heap
         * before it gives up, or 0 to collect by bitmap straight away. It walks only:
         * <ul>
         *   <li>with a filter besides the text: text alone is collected (two common words that
         *       rarely meet would use up any bound, and collecting them is the cheaper);</li>
         *   <li>without a key: words and keys go together ("drum" files are rarely in a key; the
         *       walk for a common word in five compatible keys used up its bound and then collected
         *       anyway, 89 ms before, 115 ms with the walk);</li>
         *   <li>without GM families or a time signature placed in the text index (see
         *       {@code filtersOnHeap}): the index intersects them with the words, so a collection
         *       reads only the files passing them, and a walk would test every file of the word
         *       on the heap ("drum" in a 1% family: 9.6 ms collected);</li>
         *   <li>when the walk is expected to cost less than the collection by a margin of 1.2.</li>
         * </ul>
         * Costs, in heap rows read by a bitmap scan (0.8 us each at 1M files): the collection puts
         * the text's candidates in a bitmap ({@link #GIN_ITEM_COST} each), then reads candidates
         * until cap + 1 match; the walk tests ({@link #WALK_TEST_COST} each) the files whose
         * signature and indexed filters pass (the text's share plus the signature's false
         * positives, times the shares of the BPM range, the categories and the duration, note
         * count and percussive filters the index holds) and skips {@link #WALK_ENTRY_COST}
         * per index entry, until cap + 1 matches. The bound is three times the expected tests,
         * but never more than giving up and collecting would double. Tests (materializeBelow 0)
         * always walk, with a small bound, so both endings run.
         */
        private long walkCountBound() {
            long files = totalFiles();
            if (sql.textOnly() || !query.effectiveKeys().isEmpty() || sql.narrowsBeyondWalk() || !sql.signatureWalk(0) || files == 0) {
                return 0;
            }
            if (materializeBelow == 0) {
                return 3L * (countCap + 1);
            }
            Map<String, Long> byWord = filesByWord(false);
            double textMatches = Math.min(text.upperBound(byWord, files), text.independentEstimate(byWord, files));
            if (textMatches <= 0) {
                return 0;
            }
            Map<String, Map<String, Long>> v = values();
            double indexed = (query.bpmMin() == null && query.bpmMax() == null ? 1.0
                    : share(v.get("b"), files, value -> bpmBucketMatches(Integer.parseInt(value))))
                    * (query.categories().isEmpty() ? 1.0 : share(v.get("c"), files,
                            query.categories().stream().map(c -> Integer.toString(c.code())).toList()::contains))
                    * walkCheckedShare();
            double perEntry = indexed * Math.min(1.0, textMatches / files + falsePositives(1));
            double allTested = files * perEntry;
            double expected = Math.max(1.0, matchEstimate());
            double tested = expected > countCap ? allTested * (countCap + 1) / expected : allTested;
            double walkCost = WALK_TEST_COST * tested + WALK_ENTRY_COST * tested / Math.max(perEntry, 1e-9);
            double collectCost = textMatches * (GIN_ITEM_COST + Math.min(1.0, (countCap + 1) / expected));
            if (walkCost * 1.2 > collectCost) {
                return 0;
            }
            return Math.max(countCap + 1L, (long) Math.min(3 * tested, collectCost / WALK_TEST_COST));
        }

        /**
         * The share of non-matching files a signature walk lets through: each required word sets
         * two of 64 bits, and a file name sets about 9 bits, a whole document about 18 (measured
         * on the generated 1M catalog), so a file lacking the words passes with (set / 64)^bits.
         */
        private double falsePositives(int segment) {
            boolean nameTier = query.sort() == SearchQuery.Sort.RELEVANCE && segment == 0;
            double density = (nameTier ? NAME_SIGNATURE_BITS : DOC_SIGNATURE_BITS) / 64.0;
            return Math.pow(density, Long.bitCount(sql.walkMask()));
        }

        /** Whether the sort's values may bunch the text's matches: names always, BPM with a number word. */
        private boolean sortGoesWithWords() {
            return switch (query.sort()) {
                case NAME -> true;
                case BPM -> text.positiveWords().stream().anyMatch(w -> !w.isEmpty() && w.chars().allMatch(Character::isDigit));
                default -> false;
            };
        }


        /** The text part of a segment's estimate (no other filter applied). */
        private long textEstimate(int segment) {
            long files = totalFiles();
            return text.upperBound(filesByWord(query.sort() == SearchQuery.Sort.RELEVANCE && segment == 0), files);
        }

        /**
         * Matches of the whole query expected from the frequencies: as {@link #estimateMatches}, but
         * several words are taken to meet as if independent instead of as often as the rarest
         * allows ("drum chords": bound 176K, independent 40K, true 17.6K at 1M files), which is
         * also the estimate reported above the count cap.
         */
        private double matchEstimate() {
            double est = estimateMatches(false);
            if (text.singleWord() == null && !text.isEmpty()) {
                Map<String, Long> byWord = filesByWord(false);
                long files = Math.max(1, totalFiles());
                double bound = text.upperBound(byWord, files);
                if (bound > 0) {
                    est *= Math.min(1.0, text.independentEstimate(byWord, files) / bound);
                }
            }
            return Math.max(est, countedAtLeast);
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

        /** The matches expected from the frequencies and the planner's statistics (read once). */
        private long est() {
            if (estimated < 0) {
                estimated = estimateMatches(false);
            }
            return estimated;
        }

        /**
         * The share of the files that the filters without count tables let through (1 without
         * such filters): the planner's estimate, from ANALYZE's column statistics, cached with the
         * frequencies. Only estimates and plan choices read it; exact counts never do.
         */
        private double uncountedShare() {
            if (!sql.hasUncountedFilters()) {
                return 1.0;
            }
            if (uncountedShare < 0) {
                uncountedShare = stats.share(sql.uncountedKey(), () -> plannedShare(sql.uncountedRows().get(0)));
            }
            return uncountedShare;
        }

        /**
         * The planner's row estimate of {@code explain} (an {@code EXPLAIN (FORMAT JSON)} of some
         * files) over its estimate of all files, in one round trip: planning only.
         */
        private double plannedShare(SqlStatement explain) {
            Batch batch = new Batch();
            int filtered = batch.add(explain, Run::planRows);
            int all = batch.add(sql.uncountedRows().get(1), Run::planRows);
            List<Object> rows = batch.run(handle);
            double everything = (Double) rows.get(all);
            return everything <= 0 ? 1.0 : Math.min(1.0, (Double) rows.get(filtered) / everything);
        }

        /** The top plan node's row estimate of an {@code EXPLAIN (FORMAT JSON)}. */
        private static double planRows(ResultSet rs) throws SQLException {
            if (!rs.next()) {
                throw new SQLException("EXPLAIN returned no plan");
            }
            java.util.regex.Matcher m = PLAN_ROWS.matcher(rs.getString(1));
            if (!m.find()) {
                throw new SQLException("EXPLAIN plan has no \"Plan Rows\"");
            }
            return Double.parseDouble(m.group(1));
        }

        private long totalFiles() {
            Long t = values().getOrDefault("t", Map.of()).get("");
            return t == null ? 0 : Math.max(0, t);
        }

        /**
         * Matches estimated as files x share of each filter (independence assumed): text from the
         * word counts (an upper bound), BPM, keys, categories, manufacturers from the per-value
         * counts, the other filters together from the planner's statistics ({@link #uncountedShare}).
         */
        private long estimateMatches(boolean fileNameTier) {
            long n = totalFiles();
            if (n == 0) {
                return 0;
            }
            double est = n;
            if (!text.isEmpty()) {
                est = text.upperBound(filesByWord(fileNameTier), n);
            }
            Map<String, Map<String, Long>> v = values();
            if (query.bpmMin() != null || query.bpmMax() != null) {
                est *= share(v.get("b"), n, value -> bpmBucketMatches(Integer.parseInt(value)));
            }
            est *= keysAndCategoriesShare(v, n);
            if (!query.manufacturers().isEmpty()) {
                est *= share(v.get("m"), n, query.manufacturers()::contains);
            }
            est *= uncountedShare();
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

        /** Files per query word: holding it in the file name, or anywhere in the search document. */
        private Map<String, Long> filesByWord(boolean fileName) {
            Map<String, Long> byWord = new HashMap<>();
            words().forEach((w, c) -> byWord.put(w, c[fileName ? 0 : 1]));
            return byWord;
        }

        private Map<String, long[]> words() {
            if (wordCounts == null) {
                wordCounts = text.isEmpty() ? Map.of() : stats.words(text.positiveWords(), loader);
            }
            return wordCounts;
        }

        private Map<String, Map<String, Long>> values() {
            return stats.values(loader);
        }

        private static Map<String, Map<String, Long>> groupCounts(Query q) {
            Map<String, Map<String, Long>> m = new HashMap<>();
            q.map((rs, ctx) -> new Object[] {rs.getString(1), rs.getString(2), rs.getLong(3)}).forEach(r ->
                    m.computeIfAbsent((String) r[0], k -> new HashMap<>()).merge((String) r[1], (Long) r[2], Long::sum));
            return m;
        }

        private static Map<String, Map<String, Long>> groupCounts(ResultSet rs) throws SQLException {
            Map<String, Map<String, Long>> m = new HashMap<>();
            while (rs.next()) {
                m.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).merge(rs.getString(2), rs.getLong(3), Long::sum);
            }
            return m;
        }

        private FacetCounts facets(long total, boolean few) throws SQLException {
            Map<String, Map<String, Long>> counts;
            boolean estimated = false;
            if (sql.unfiltered()) {
                // read now, not from the cache: these counts are reported as exact
                counts = runNow(SearchSql.valueCounts(null), false, Run::groupCounts);
                Map<String, Long> buckets = new HashMap<>();
                counts.getOrDefault("b", Map.of()).forEach((v, c) -> {
                    int floor = Integer.parseInt(v);
                    int bucket = floor < 0 ? -1 : Math.floorDiv(floor, FacetCounts.BPM_BUCKET_WIDTH) * FacetCounts.BPM_BUCKET_WIDTH;
                    buckets.merge(Integer.toString(bucket), c, Long::sum);
                });
                counts.put("b", buckets);
            } else if (few || (sql.hasText() && total <= EXACT_FACETS_BELOW)) {
                counts = runNow(sql.facets(null), sql.hasText(), Run::groupCounts);
            } else {
                double percent = Math.max(0.05, Math.min(100.0, 100.0 * SAMPLE_TARGET_ROWS / Math.max(1, total)));
                counts = runNow(sql.facets(percent), false, Run::groupCounts);
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

    /**
     * The capped count and, when under the cap, the first page ({@link SearchSql#collectFirstPage},
     * {@link SearchSql#walkFirstPage}); {@code truncated}: the walk stopped at its bound.
     */
    private record Collected(long total, long firstSegment, boolean truncated, List<Row> rows) {
        static Collected read(ResultSet rs) throws SQLException {
            long total = 0;
            long firstSegment = 0;
            boolean truncated = false;
            List<Row> rows = new ArrayList<>();
            SearchSql.Segment byDate = new SearchSql.Segment("", "f.created_at", SearchSql.ValueType.TIMESTAMP, true);
            while (rs.next()) {
                total = rs.getLong("total");
                firstSegment = rs.getLong("first_segment");
                truncated = rs.getBoolean("truncated");
                rs.getLong("id");
                if (!rs.wasNull()) {
                    rows.add(Row.of(rs, byDate, rs.getInt("seg")));
                }
            }
            return new Collected(total, firstSegment, truncated, rows);
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
                    rs.getBoolean("favorite"), rs.getDouble("rank"), rs.getBoolean("missing"));
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
