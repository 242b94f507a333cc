package io.midicatalog.jdbi.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.midicatalog.MidiCatalog;
import io.midicatalog.api.SearchPage;
import io.midicatalog.api.SearchQuery;
import io.midicatalog.jdbi.search.SearchFixture.FileRow;
import io.midicatalog.testing.TestDatabases;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Cached frequencies choose plans only: writes the cache has not seen never change rows or exact counts. */
class SearchStatsTest {

    @Test
    void search_afterWritesTheCacheDidNotSee_rowsAndExactTotalsStayRight() throws Exception {
        List<FileRow> all = SearchFixture.generate(1200, 5);
        List<FileRow> after = all.subList(0, 200);
        try (MidiCatalog catalog = TestDatabases.migratedCatalog(SearchStatsTest.class)) {
            SearchFixture.insert(catalog.dataSource(), all);
            List<SearchQuery> queries = List.of(SearchQuery.builder().text("deep").build(),
                    SearchQuery.builder().text("house").pageSize(500).build(),
                    SearchQuery.builder().text("deep house").pageSize(500).build(),
                    SearchQuery.builder().bpm(90, 140).pageSize(500).build(),
                    SearchQuery.builder().pageSize(500).build());
            for (SearchQuery q : queries) {
                catalog.search().search(q); // fills the cache with the full catalog's frequencies
            }
            // deleted behind the catalog's back (as another process would): no change notice
            try (var c = catalog.dataSource().getConnection(); var st = c.createStatement()) {
                st.executeUpdate("DELETE FROM files WHERE id NOT IN (" + after.stream().map(f -> Long.toString(f.id()))
                        .collect(java.util.stream.Collectors.joining(",")) + ")");
            }
            for (SearchQuery q : queries) {
                List<Long> expected = SearchOracle.search(after, q).stream().map(FileRow::id).toList();
                SearchPage page = catalog.search().search(q);
                assertThat(page.rows().stream().map(h -> h.id()).toList()).as("%s", q)
                        .isEqualTo(expected.subList(0, Math.min(q.pageSize(), expected.size())));
                if (!page.totalIsEstimate()) {
                    assertThat(page.total()).as("%s", q).isEqualTo(expected.size());
                }
            }
        }
    }

    @Test
    void words_loadsOnlyWhatIsMissingOrExpired() {
        AtomicInteger loads = new AtomicInteger();
        SearchStats.Loader loader = new SearchStats.Loader() {
            @Override
            public Map<String, long[]> words(List<String> words) {
                loads.incrementAndGet();
                return Map.of("deep", new long[] {1, 2});
            }

            @Override
            public Map<String, Map<String, Long>> values() {
                loads.incrementAndGet();
                return Map.of();
            }
        };
        SearchStats cached = new SearchStats(Long.MAX_VALUE);
        assertThat(cached.words(java.util.Set.of("deep", "nope"), loader).get("nope")).containsExactly(0, 0);
        assertThat(cached.words(java.util.Set.of("deep"), loader).get("deep")).containsExactly(1, 2);
        cached.values(loader);
        cached.values(loader);
        assertThat(loads).hasValue(2);
        cached.invalidate();
        cached.words(java.util.Set.of("deep"), loader);
        assertThat(loads).hasValue(3);
        SearchStats uncached = new SearchStats(0);
        uncached.values(loader);
        uncached.values(loader);
        assertThat(loads).hasValue(5);
    }
}
