package io.midicatalog.jdbi.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.midicatalog.MidiCatalog;
import io.midicatalog.testing.TestDatabases;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** The side tables the triggers keep must equal a recount from files after any kind of write. */
class SearchCountsTest {
    private static final String WORDS_KEPT = """
            SELECT word || ':' || sum(name_files) || ':' || sum(doc_files) FROM search_word_counts
            GROUP BY word HAVING sum(doc_files) <> 0 ORDER BY word""";
    private static final String WORDS_RECOUNTED = """
            SELECT w || ':' || count(*) FILTER (WHERE w = ANY (tsvector_to_array(name_tsv))) || ':' || count(*)
            FROM files, unnest(tsvector_to_array(doc_tsv)) w GROUP BY w ORDER BY w""";
    private static final String VALUES_KEPT = """
            SELECT dim::text || ':' || value || ':' || sum(files) FROM search_value_counts
            GROUP BY dim, value HAVING sum(files) <> 0 ORDER BY dim, value""";
    private static final String VALUES_RECOUNTED = """
            SELECT d.dim::text || ':' || d.value || ':' || count(*) FROM files f,
                LATERAL (VALUES ('k'::"char", f.key_code::text), ('b', coalesce(floor(f.bpm)::int, -1)::text),
                    ('c', f.category::text), ('m', coalesce(f.manufacturer, '')), ('t', '')) d(dim, value)
            GROUP BY d.dim, d.value ORDER BY d.dim, d.value""";

    @Test
    void countTables_afterInsertUpdateDeleteAndCompaction_equalARecount() throws Exception {
        try (MidiCatalog catalog = TestDatabases.migratedCatalog(SearchCountsTest.class)) {
            SearchFixture.insert(catalog.dataSource(), SearchFixture.generate(500, 3));
            Jdbi jdbi = Jdbi.create(catalog.dataSource());
            assertCountsMatch(jdbi);
            jdbi.useHandle(h -> {
                h.execute("UPDATE files SET name_words = 'brand new words', bpm = 99.5 WHERE id % 7 = 0");
                h.execute("UPDATE files SET manufacturer = NULL, key_code = 3 WHERE id % 11 = 0");
                h.execute("UPDATE files SET filepath = filepath || '.moved' WHERE id % 5 = 0"); // counts unchanged
                h.execute("DELETE FROM files WHERE id % 13 = 0");
            });
            assertCountsMatch(jdbi);
            jdbi.useHandle(h -> h.execute("SELECT search_compact_counts()"));
            assertCountsMatch(jdbi);
            long totalRows = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM search_value_counts WHERE dim = 't'")
                    .mapTo(Long.class).one());
            assertThat(totalRows).as("one total row after compaction").isEqualTo(1);
        }
    }

    private static void assertCountsMatch(Jdbi jdbi) {
        jdbi.useHandle(h -> {
            List<String> kept = h.createQuery(WORDS_KEPT).mapTo(String.class).list();
            assertThat(kept).isNotEmpty().isEqualTo(h.createQuery(WORDS_RECOUNTED).mapTo(String.class).list());
            assertThat(h.createQuery(VALUES_KEPT).mapTo(String.class).list())
                    .isEqualTo(h.createQuery(VALUES_RECOUNTED).mapTo(String.class).list());
        });
    }
}
