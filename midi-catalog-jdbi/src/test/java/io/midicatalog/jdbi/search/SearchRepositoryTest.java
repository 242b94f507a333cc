package io.midicatalog.jdbi.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.midicatalog.MidiCatalog;
import io.midicatalog.api.Category;
import io.midicatalog.api.FacetCounts;
import io.midicatalog.api.GmFamily;
import io.midicatalog.api.MusicalKey;
import io.midicatalog.api.SearchHit;
import io.midicatalog.api.SearchPage;
import io.midicatalog.api.SearchQuery;
import io.midicatalog.api.SearchQuery.Direction;
import io.midicatalog.api.SearchQuery.Sort;
import io.midicatalog.api.TimeSignature;
import io.midicatalog.jdbi.search.SearchFixture.FileRow;
import io.midicatalog.testing.StatementCounter;
import io.midicatalog.testing.TestDatabases;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Search against a generated catalog, checked against a brute-force Java filter of the same rows. */
class SearchRepositoryTest {
    private static final int FILES = 3000;
    private static MidiCatalog catalog;
    private static List<FileRow> rows;

    @BeforeAll
    static void setUp() throws Exception {
        catalog = TestDatabases.migratedCatalog(SearchRepositoryTest.class);
        rows = SearchFixture.generate(FILES, 42);
        SearchFixture.insert(catalog.dataSource(), rows);
    }

    @AfterAll
    static void tearDown() {
        catalog.close();
    }

    @Test
    void search_randomQueries_equalBruteForceAndCursorWalkYieldsEachMatchOnce() {
        randomQueriesEqualBruteForce(catalog.search(), JdbiSearchRepository.COUNT_CAP, 7);
    }

    /** Tiny count cap and no materialising: the index-walk plans and estimated totals run too. */
    @Test
    void search_randomQueriesWithWalkingPlans_equalBruteForce() {
        var walking = new JdbiSearchRepository(org.jdbi.v3.core.Jdbi.create(catalog.dataSource())
                .installPlugin(new org.jdbi.v3.postgres.PostgresPlugin()), 20, 0);
        randomQueriesEqualBruteForce(walking, 20, 8);
    }

    /**
     * Two words that often meet in search documents, with a count cap far below their matches:
     * the capped count's collection is then a sample of how the matches split between the
     * relevance tiers, which chooses the tier plans ("bass loopmasters" meets only through the
     * manufacturer, never in a file name; "deep house" in both).
     */
    @Test
    void search_wordsMeetingAboveTheCap_equalBruteForceWhateverTheTierSplit() {
        var sampled = new JdbiSearchRepository(org.jdbi.v3.core.Jdbi.create(catalog.dataSource())
                .installPlugin(new org.jdbi.v3.postgres.PostgresPlugin()), 20, JdbiSearchRepository.MATERIALIZE_BELOW);
        int aboveCap = 0;
        for (String text : List.of("bass loopmasters", "deep house", "drum chords", "kick drums", "loop dark",
                "house splice", "\"deep house\"", "chill -deep loop")) {
            SearchQuery query = SearchQuery.builder().text(text).pageSize(60).build();
            if (assertEqualsBruteForce(sampled, query, 20, text) > 20) {
                aboveCap++;
            }
        }
        assertThat(aboveCap).as("texts whose matches pass the cap (the sampled path)").isGreaterThanOrEqualTo(5);
    }

    /**
     * Text with a filter, counted by a bounded walk of the date index (cap 20, bound 63 files
     * tested): a loose filter ends the walk above the cap, a tight one uses up the bound (the
     * search then collects), and one that the index columns narrow (BPM) reaches the end of the
     * index with every match seen. Each ending was checked to occur with a debug print.
     */
    @Test
    void search_textWithFilterCountedByBoundedWalk_equalBruteForceWhicheverWayTheWalkEnds() {
        var walking = new JdbiSearchRepository(org.jdbi.v3.core.Jdbi.create(catalog.dataSource())
                .installPlugin(new org.jdbi.v3.postgres.PostgresPlugin()), 20, 0);
        String common = SearchFixture.WORDS[0]; // the generator favours the first words
        String rare = SearchFixture.WORDS[SearchFixture.WORDS.length - 1];
        List<SearchQuery> queries = List.of(
                SearchQuery.builder().text(common).duration(0.0, 250.0).build(),          // ends above the cap
                SearchQuery.builder().text(common).noteCount(0, 3).build(),               // uses up its bound
                SearchQuery.builder().text(common).bpm(60, 61).favoritesOnly(true).build(), // reaches the end, few
                SearchQuery.builder().text(rare).smfFormat(1).build(),
                SearchQuery.builder().text(common + " -loop").multiTrack(true).build(),
                SearchQuery.builder().text('"' + "deep house" + '"').percussive(false).build());
        int above = 0;
        int few = 0;
        for (SearchQuery query : queries) {
            int matches = assertEqualsBruteForce(walking, query, 20, query.text());
            if (matches > 20) {
                above++;
            } else {
                few++;
            }
        }
        assertThat(above).as("queries above the cap").isGreaterThanOrEqualTo(2);
        assertThat(few).as("queries under the cap").isGreaterThanOrEqualTo(2);
    }

    /**
     * Above the cap, the estimated total counts every filter, those without count tables too
     * (from the planner's statistics): it once ignored them, so "favorites only" reported every
     * file of the catalog.
     */
    @Test
    void search_estimatedTotals_narrowByFiltersWithoutCountTables() {
        var capped = new JdbiSearchRepository(org.jdbi.v3.core.Jdbi.create(catalog.dataSource())
                .installPlugin(new org.jdbi.v3.postgres.PostgresPlugin()), 20, JdbiSearchRepository.MATERIALIZE_BELOW);
        List<SearchQuery> queries = List.of(
                SearchQuery.builder().favoritesOnly(true).build(),
                SearchQuery.builder().tagsAny(List.of(SearchFixture.TAGS[0])).build(),
                SearchQuery.builder().tagsAll(List.of(SearchFixture.TAGS[0], SearchFixture.TAGS[1])).build(),
                SearchQuery.builder().duration(0.0, 30.0).build(),
                SearchQuery.builder().noteCount(0, 99).build(),
                SearchQuery.builder().timeSignature(new TimeSignature(3, 4)).build(),
                SearchQuery.builder().smfFormat(0).multiTrack(true).build(),
                SearchQuery.builder().text("loop").favoritesOnly(true).build(),
                SearchQuery.builder().text("house").duration(0.0, 100.0).build(),
                SearchQuery.builder().bpm(60, 150).percussive(true).collection(SearchFixture.COLLECTIONS[0]).build());
        for (SearchQuery query : queries) {
            int truth = SearchOracle.search(rows, query).size();
            SearchPage page = capped.search(query);
            assertThat(truth).as("the fixture must put %s above the cap", query).isGreaterThan(20);
            assertThat(page.totalIsEstimate()).as("%s", query).isTrue();
            assertThat((double) page.total() / truth).as("estimate %d for %d matches: %s", page.total(), truth, query)
                    .isBetween(0.5, 2.0);
        }
    }

    /**
     * GM families and time signatures (schema V11) are written either for the text index (its
     * expressions) or for the heap (the columns), chosen per search by cost: both forms count
     * exactly the brute-force matches, and the index form is an index condition of the text
     * index, intersected there with the words.
     */
    @Test
    void gmFamiliesAndTimeSignature_inTheIndexOrOnTheHeap_countTheSameFiles() {
        String word = SearchFixture.WORDS[0];
        List<SearchQuery> queries = List.of(
                SearchQuery.builder().text(word).gmFamily(GmFamily.BASS).build(),
                SearchQuery.builder().gmFamily(GmFamily.PIANO).gmFamily(GmFamily.DRUMS).build(),
                SearchQuery.builder().gmFamily(GmFamily.SOUND_EFFECTS).build(),
                SearchQuery.builder().text(word).timeSignature(new TimeSignature(7, 8)).build(),
                SearchQuery.builder().timeSignature(new TimeSignature(4, 4)).build(),
                SearchQuery.builder().timeSignature(new TimeSignature(5, 4)).build(),
                SearchQuery.builder().text(word + " -loop").gmFamily(GmFamily.DRUMS).timeSignature(new TimeSignature(3, 4)).build());
        var jdbi = org.jdbi.v3.core.Jdbi.create(catalog.dataSource()).installPlugin(new org.jdbi.v3.postgres.PostgresPlugin());
        int nonEmpty = 0;
        for (SearchQuery query : queries) {
            int truth = SearchOracle.search(rows, query).size();
            nonEmpty += truth > 0 ? 1 : 0;
            SearchSql sql = new SearchSql(query, TextQuery.parse(query.text()));
            for (var onHeap : List.of(java.util.EnumSet.noneOf(SearchSql.IndexedFilter.class),
                    java.util.EnumSet.of(SearchSql.IndexedFilter.GM_FAMILIES),
                    java.util.EnumSet.of(SearchSql.IndexedFilter.TIME_SIGNATURE),
                    java.util.EnumSet.allOf(SearchSql.IndexedFilter.class))) {
                SqlStatement.Positional count = sql.withFiltersOnHeap(onHeap).count(FILES + 1).positional();
                long n = jdbi.withHandle(h -> {
                    var q = h.createQuery(count.sql());
                    for (int i = 0; i < count.values().size(); i++) {
                        q.bind(i, count.values().get(i));
                    }
                    return q.mapTo(Long.class).one();
                });
                assertThat(n).as("%s, on the heap: %s", query, onHeap).isEqualTo(truth);
            }
        }
        assertThat(nonEmpty).as("queries with matches").isGreaterThanOrEqualTo(5);

        // the index form is a condition of the text index (bitmap scans only, as a collection runs)
        SqlStatement.Positional count = new SearchSql(queries.get(6), TextQuery.parse(queries.get(6).text()))
                .count(10).positional();
        SqlStatement.Positional settings = SearchSql.settings(SearchSql.Scan.BITMAP).positional();
        String plan = jdbi.inTransaction(h -> {
            var set = h.createQuery(settings.sql());
            for (int i = 0; i < settings.values().size(); i++) {
                set.bind(i, settings.values().get(i));
            }
            set.mapTo(String.class).list();
            var q = h.createQuery("EXPLAIN " + count.sql());
            for (int i = 0; i < count.values().size(); i++) {
                q.bind(i, count.values().get(i));
            }
            return String.join("\n", q.mapTo(String.class).list());
        });
        assertThat(plan).contains("Bitmap Index Scan on files_doc_tsv");
        String indexCond = plan.substring(plan.indexOf("Bitmap Index Scan on files_doc_tsv"));
        indexCond = indexCond.substring(indexCond.indexOf("Index Cond:"));
        indexCond = indexCond.substring(0, indexCond.indexOf('\n') < 0 ? indexCond.length() : indexCond.indexOf('\n'));
        assertThat(indexCond).as(plan).contains("doc_tsv @@").contains("gm_families").contains("time_sig_num");
    }

    /**
     * The favorite flag of a page is one probe of the favorites key per page row: with many
     * favorites the planner otherwise hashed the whole table for every page (8.8 ms for the
     * newest 50 files at 1M files and 20K favorites, 0.3 ms with the probes).
     */
    @Test
    void page_favoriteFlag_probesTheKeyEvenWithManyFavorites() {
        var jdbi = org.jdbi.v3.core.Jdbi.create(catalog.dataSource()).installPlugin(new org.jdbi.v3.postgres.PostgresPlugin());
        SqlStatement.Positional page = new SearchSql(SearchQuery.builder().build(), TextQuery.parse(null))
                .page(0, null, 51, false).positional();
        String plan;
        try {
            plan = jdbi.inTransaction(h -> {
                // many favorites, as the statistics will know them: every file of the test catalog
                h.execute("INSERT INTO favorites (file_id) SELECT id FROM files ON CONFLICT DO NOTHING");
                h.execute("ANALYZE favorites");
                var q = h.createQuery("EXPLAIN " + page.sql());
                for (int i = 0; i < page.values().size(); i++) {
                    q.bind(i, page.values().get(i));
                }
                String text = String.join("\n", q.mapTo(String.class).list());
                h.rollback();
                return text;
            });
        } finally {
            // ANALYZE's page and row counts outlive a rollback (pg_class is updated in place):
            // other tests estimate the favorites' share from them
            jdbi.useHandle(h -> h.execute("ANALYZE favorites"));
        }
        assertThat(plan).contains("favorites_pkey").doesNotContain("Seq Scan on favorites");
    }

    private static void randomQueriesEqualBruteForce(io.midicatalog.api.SearchRepository search, int countCap, long seed) {
        Random r = new Random(seed);
        int withMatches = 0;
        for (int i = 0; i < 150; i++) {
            SearchQuery drawn = randomQuery(r);
            if (assertEqualsBruteForce(search, drawn, countCap, "query " + i) > 0) {
                withMatches++;
            }
        }
        assertThat(withMatches).as("the generator must produce queries that match").isGreaterThan(50);
    }

    /** Walks every page of the query and compares with the brute-force filter; returns the match count. */
    private static int assertEqualsBruteForce(io.midicatalog.api.SearchRepository search, SearchQuery drawn, int countCap,
            String label) {
        List<Long> expected = SearchOracle.search(rows, drawn).stream().map(FileRow::id).toList();
        // small pages, but at most ~25 of them per query (the test must stay fast)
        SearchQuery query = drawn.toBuilder()
                .pageSize(Math.min(500, Math.max(drawn.pageSize(), expected.size() / 25 + 1))).build();
        List<Long> actual = new ArrayList<>();
        SearchQuery page = query;
        SearchPage first = null;
        for (int guard = 0; guard <= FILES; guard++) {
            SearchPage result = search.search(page);
            if (first == null) {
                first = result;
            }
            result.rows().forEach(h -> actual.add(h.id()));
            if (result.nextCursor() == null) {
                break;
            }
            assertThat(result.rows()).as("a page with a next cursor is full: %s", query).hasSize(query.pageSize());
            page = query.toBuilder().cursor(result.nextCursor()).build();
        }
        assertThat(actual).as("%s: %s", label, query).isEqualTo(expected);
        if (expected.size() <= countCap) {
            assertThat(first.totalIsEstimate()).as("%s: %s", label, query).isFalse();
        }
        if (first.totalIsEstimate()) {
            assertThat(first.total()).as("%s: %s", label, query).isGreaterThan(countCap);
            assertThat(expected.size()).as("%s: %s", label, query).isGreaterThan(countCap);
        } else {
            // exact: under the cap, or known from the count tables (no filter, one word)
            assertThat(first.total()).as("%s: %s", label, query).isEqualTo(expected.size());
        }
        return expected.size();
    }

    @Test
    void search_relevance_fileNameMatchesRankAboveContextOnlyMatches() {
        SearchPage page = catalog.search().search(SearchQuery.builder().text("loopmasters").pageSize(500).build());
        List<Double> ranks = page.rows().stream().map(SearchHit::rank).toList();
        assertThat(ranks).isNotEmpty().allMatch(x -> x == 0.5 || x == 1.0);
        assertThat(ranks).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        List<Double> all = new ArrayList<>();
        SearchQuery house = SearchQuery.builder().text("house").pageSize(500).build();
        for (SearchPage p = catalog.search().search(house); ; ) {
            p.rows().forEach(h -> all.add(h.rank()));
            if (p.nextCursor() == null) {
                break;
            }
            p = catalog.search().search(house.toBuilder().cursor(p.nextCursor()).build());
        }
        assertThat(all).contains(1.0, 0.5).isSortedAccordingTo((a, b) -> Double.compare(b, a));
    }

    @Test
    void search_facets_exactOnSmallResultsEqualBruteForce() {
        SearchQuery query = SearchQuery.builder().text("jazz").bpm(90, 140).facets(true).pageSize(10).build();
        SearchPage page = catalog.search().search(query);
        List<FileRow> expected = SearchOracle.search(rows, query);
        assertThat(expected.size()).isLessThanOrEqualTo(JdbiSearchRepository.COUNT_CAP).isPositive();
        FacetCounts facets = page.facets();
        assertThat(facets).isNotNull();
        assertThat(facets.estimated()).isFalse();
        Map<MusicalKey, Long> byKey = new HashMap<>();
        Map<Category, Long> byCategory = new HashMap<>();
        Map<Integer, Long> byBpm = new HashMap<>();
        for (FileRow f : expected) {
            byKey.merge(MusicalKey.fromCode(f.keyCode()), 1L, Long::sum);
            byCategory.merge(Category.fromCode(f.category()), 1L, Long::sum);
            byBpm.merge((int) Math.floor(f.bpm() / 10.0) * 10, 1L, Long::sum);
        }
        assertThat(facets.byKey()).isEqualTo(byKey);
        assertThat(facets.byCategory()).isEqualTo(byCategory);
        assertThat(facets.byBpmBucket()).isEqualTo(byBpm);
        assertThat(facets.byManufacturer().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(expected.size());
    }

    @Test
    void search_facetsWithoutFilters_comeFromTheCountTablesAndAreExact() {
        SearchPage page = catalog.search().search(SearchQuery.builder().facets(true).pageSize(1).build());
        assertThat(page.total()).isEqualTo(FILES);
        assertThat(page.totalIsEstimate()).isFalse();
        assertThat(page.facets().estimated()).isFalse();
        assertThat(page.facets().byKey().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(FILES);
        long withoutManufacturer = rows.stream().filter(f -> f.manufacturer() == null).count();
        assertThat(page.facets().byManufacturer().get("")).isEqualTo(withoutManufacturer);
    }

    @Test
    void search_broadFacets_areEstimatedAndFlagged() {
        SearchPage page = catalog.search().search(SearchQuery.builder().bpm(60, 200).facets(true).build());
        assertThat(page.totalIsEstimate()).isTrue();
        assertThat(page.facets().estimated()).isTrue();
        assertThat(page.facets().byKey()).isNotEmpty();
    }

    @Test
    void search_cursorOfAnotherQuery_isRejected() {
        SearchPage page = catalog.search().search(SearchQuery.builder().text("deep").pageSize(5).build());
        assertThat(page.nextCursor()).isNotNull();
        assertThatThrownBy(() -> catalog.search().search(
                SearchQuery.builder().text("house").pageSize(5).cursor(page.nextCursor()).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another query");
        assertThatThrownBy(() -> catalog.search().search(
                SearchQuery.builder().text("deep").sort(Sort.NAME).cursor(page.nextCursor()).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another query");
        assertThatThrownBy(() -> catalog.search().search(SearchQuery.builder().cursor("not-a-cursor!").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cursor");
    }

    @Test
    void search_fullFileNameWithItsExtension_findsTheFile() {
        List<FileRow> named = rows.stream().filter(f -> f.nameWords().split(" ").length >= 3).limit(20).toList();
        assertThat(named).hasSize(20);
        for (FileRow file : named) {
            SearchPage page = catalog.search().search(SearchQuery.builder().text(file.filename()).pageSize(500).build());
            assertThat(page.rows()).as(file.filename()).extracting(SearchHit::id).contains(file.id());
        }
    }

    @Test
    void search_requiredWordNoIndexCanHold_matchesNothingWithoutAskingTheDatabase() {
        String longWord = "z".repeat(3000);
        org.jdbi.v3.core.Jdbi jdbi = org.jdbi.v3.core.Jdbi.create(catalog.dataSource())
                .installPlugin(new org.jdbi.v3.postgres.PostgresPlugin());
        StatementCounter counter = StatementCounter.installOn(jdbi);
        JdbiSearchRepository search = new JdbiSearchRepository(jdbi);
        for (String text : List.of("a".repeat(3000), "drum " + longWord, "\"deep " + longWord + "\"")) {
            SearchPage page = search.search(SearchQuery.builder().text(text).facets(true).build());
            assertThat(page.rows()).as(text.substring(0, 10)).isEmpty();
            assertThat(page.total()).isZero();
            assertThat(page.totalIsEstimate()).isFalse();
            assertThat(page.nextCursor()).isNull();
            assertThat(page.facets()).isNotNull();
            assertThat(page.facets().byKey()).isEmpty();
        }
        assertThat(counter.count()).isZero();
        // an alternative that can match still does; an exclusion that can never match excludes nothing
        assertThat(catalog.search().search(SearchQuery.builder().text("drum or " + longWord).build()).total())
                .isEqualTo(catalog.search().search(SearchQuery.builder().text("drum").build()).total());
        assertThat(catalog.search().search(SearchQuery.builder().text("-" + longWord).build()).total())
                .isEqualTo(catalog.search().search(SearchQuery.builder().build()).total());
    }

    @Test
    void search_tamperedCursor_isIllegalArgument() {
        SearchQuery byName = SearchQuery.builder().sort(Sort.NAME).pageSize(5).build();
        long byNameFingerprint = SearchCursor.fingerprint(new SearchSql(byName, TextQuery.EMPTY).canonical());
        String nul = new SearchCursor(byNameFingerprint, 0, "ab\u0000c", 1).encode();
        assertThatThrownBy(() -> catalog.search().search(byName.toBuilder().cursor(nul).build()))
                .isInstanceOf(IllegalArgumentException.class);
        SearchQuery newest = SearchQuery.builder().pageSize(5).build();
        long newestFingerprint = SearchCursor.fingerprint(new SearchSql(newest, TextQuery.EMPTY).canonical());
        String ancient = new SearchCursor(newestFingerprint, 0, Long.MIN_VALUE, 1).encode();
        assertThatThrownBy(() -> catalog.search().search(newest.toBuilder().cursor(ancient).build()))
                .isInstanceOf(IllegalArgumentException.class);
        String distant = new SearchCursor(newestFingerprint, 0, Long.MAX_VALUE, 1).encode();
        assertThat(catalog.search().search(newest.toBuilder().cursor(distant).build()).rows()).hasSize(5);
    }

    @Test
    void search_hostileText_returnsNormally() {
        List<String> hostile = new ArrayList<>(List.of("\"", "\"\"\"", "'", "''", "\\", "\\\\'", "&", "|", "!", "(", ")",
                ":", "*", "&|!():*", "deep & | house", "!!deep", "deep:*", "(deep", "deep)", "'deep' <-> 'house'",
                "-", "--", "- -", "or", "or or", "-or", "deep or", "or deep", "\"deep house", "deep \"",
                "'; DROP TABLE files; --", "1' OR '1'='1", "$1", ":tsq", "%s", "\u0000", "日本語 ドラム", "Ünïcödé Café",
                "🎹🥁", "\uD800", "a".repeat(3000), "deep ".repeat(2500), "\"".repeat(10_000),
                "x&y|z!(w):*".repeat(900)));
        Random r = new Random(1);
        StringBuilder junk = new StringBuilder();
        for (int i = 0; i < 10_240; i++) {
            junk.append((char) r.nextInt(0x3000));
        }
        hostile.add(junk.toString());
        for (String text : hostile) {
            SearchPage page = catalog.search().search(SearchQuery.builder().text(text).facets(true).build());
            assertThat(page).as(text.length() > 50 ? text.substring(0, 50) : text).isNotNull();
        }
    }

    private static SearchQuery randomQuery(Random r) {
        SearchQuery.Builder b = SearchQuery.builder();
        boolean text = r.nextInt(10) < 6;
        if (text) {
            b.text(randomText(r));
        }
        if (r.nextInt(4) == 0) {
            int min = 60 + r.nextInt(120);
            b.bpm(r.nextInt(5) == 0 ? null : min, r.nextInt(5) == 0 ? null : min + r.nextInt(40) + 0.5f);
            b.bpmHalfDouble(r.nextInt(3) == 0);
        }
        if (r.nextInt(4) == 0) {
            for (int k = 1 + r.nextInt(2); k > 0; k--) {
                b.key(MusicalKey.fromCode(r.nextInt(25)));
            }
            b.compatibleKeys(r.nextBoolean());
        }
        if (r.nextInt(8) == 0) {
            b.timeSignature(new TimeSignature(new int[] {4, 3, 6}[r.nextInt(3)], r.nextBoolean() ? 4 : 8));
        }
        if (r.nextInt(6) == 0) {
            b.manufacturer(SearchFixture.MANUFACTURERS[r.nextInt(SearchFixture.MANUFACTURERS.length)]);
        }
        if (r.nextInt(8) == 0) {
            b.collection(SearchFixture.COLLECTIONS[r.nextInt(SearchFixture.COLLECTIONS.length)]);
        }
        if (r.nextInt(6) == 0) {
            b.category(Category.fromCode(r.nextInt(Category.values().length)));
            b.category(Category.fromCode(r.nextInt(Category.values().length)));
        }
        if (r.nextInt(8) == 0) {
            b.tagsAll(List.of(SearchFixture.TAGS[r.nextInt(4)].toUpperCase(java.util.Locale.ROOT), SearchFixture.TAGS[r.nextInt(4)]));
        }
        if (r.nextInt(8) == 0) {
            b.tagsAny(List.of(SearchFixture.TAGS[r.nextInt(4)].toLowerCase(java.util.Locale.ROOT), SearchFixture.TAGS[r.nextInt(4)]));
        }
        b.favoritesOnly(r.nextInt(10) == 0);
        if (r.nextInt(10) == 0) {
            b.gmFamily(GmFamily.fromOrdinal(r.nextInt(17)));
        }
        if (r.nextInt(10) == 0) {
            b.percussive(r.nextBoolean());
        }
        if (r.nextInt(10) == 0) {
            double min = r.nextDouble() * 200;
            b.duration(r.nextBoolean() ? min : null, r.nextBoolean() ? min + r.nextDouble() * 100 : null);
        }
        if (r.nextInt(10) == 0) {
            int min = r.nextInt(400);
            b.noteCount(min, r.nextBoolean() ? min + r.nextInt(200) : null);
        }
        if (r.nextInt(12) == 0) {
            b.smfFormat(r.nextInt(3));
        }
        if (r.nextInt(12) == 0) {
            b.multiTrack(r.nextBoolean());
        }
        Sort sort = Sort.values()[r.nextInt(Sort.values().length)];
        if (sort != Sort.RELEVANCE || text) {
            b.sort(sort);
        }
        if (r.nextBoolean()) {
            b.direction(r.nextBoolean() ? Direction.ASC : Direction.DESC);
        }
        b.pageSize(new int[] {1, 7, 50, 500}[r.nextInt(4)]);
        return b.build();
    }

    private static String randomText(Random r) {
        StringBuilder sb = new StringBuilder();
        int tokens = 1 + r.nextInt(3);
        for (int t = 0; t < tokens; t++) {
            if (t > 0) {
                sb.append(r.nextInt(6) == 0 ? " or " : " ");
            }
            String w = SearchFixture.WORDS[r.nextInt(SearchFixture.WORDS.length)];
            switch (r.nextInt(9)) {
                case 0 -> sb.append('-').append(w);
                case 1 -> sb.append('"').append(w).append(' ').append(SearchFixture.WORDS[r.nextInt(SearchFixture.WORDS.length)]).append('"');
                case 2 -> sb.append(Character.toUpperCase(w.charAt(0))).append(w.substring(1))
                        .append(Character.toUpperCase(SearchFixture.WORDS[r.nextInt(5)].charAt(0)))
                        .append(SearchFixture.WORDS[r.nextInt(5)].substring(1));
                case 3 -> sb.append(new String[] {"loopmasters", "trap", "chords", "vol", "drums", "cafe", "1"}[r.nextInt(7)]);
                case 4 -> sb.append(w).append("&|");
                default -> sb.append(w);
            }
        }
        return sb.toString();
    }

}
