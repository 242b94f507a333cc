package io.midicatalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.midicatalog.api.BrowseRepository;
import io.midicatalog.api.CollectionCount;
import io.midicatalog.api.NameCount;
import io.midicatalog.api.RecentFile;
import io.midicatalog.cache.CacheSpec;
import io.midicatalog.testing.CatalogFixtures;
import io.midicatalog.testing.TestDatabases;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The count tables of V4 must always equal a GROUP BY over files, whatever writes happened. */
class BrowseRepositoryTest {
    private static final String[] MANUFACTURERS = {"Acme", "Loopmasters", "Zebra Sounds", null};
    private static final String[] COLLECTIONS = {"Deep House", "Trap", "Jazz", null};

    private static MidiCatalog catalog;
    private static CatalogFixtures fixtures;
    private static BrowseRepository browse;

    @BeforeAll
    static void setUp() {
        catalog = TestDatabases.migratedCatalog(BrowseRepositoryTest.class);
        fixtures = new CatalogFixtures(catalog.dataSource());
        browse = catalog.browse();
        Random random = new Random(7);
        for (int i = 0; i < 300; i++) {
            boolean meter = random.nextInt(5) > 0;
            fixtures.file("/lib/browse/" + i + ".mid", MANUFACTURERS[random.nextInt(4)], COLLECTIONS[random.nextInt(4)],
                    random.nextInt(25), random.nextInt(24), meter ? 3 + random.nextInt(3) : null, meter ? 4 : null);
        }
        // multi-row statements: updates that move files between values, and deletes
        fixtures.execute("UPDATE files SET manufacturer = 'Acme', key_code = 0 WHERE id % 7 = 0");
        fixtures.execute("UPDATE files SET collection = NULL, time_sig_num = 7, time_sig_den = 8 WHERE id % 11 = 0");
        fixtures.execute("UPDATE files SET updated_at = now()");   // touches no counted column
        fixtures.execute("DELETE FROM files WHERE id % 13 = 0");
    }

    @AfterAll
    static void tearDown() {
        catalog.close();
    }

    @Test
    void manufacturers_equalAGroupBy() {
        assertThat(browse.manufacturers()).extracting(m -> List.of(m.name(), Long.toString(m.files())))
                .containsExactlyElementsOf(fixtures.rows("""
                        SELECT manufacturer, count(*) FROM files WHERE manufacturer IS NOT NULL
                         GROUP BY 1 ORDER BY 1"""));
    }

    @Test
    void collections_equalAGroupBy_allAndOfOneManufacturer() {
        assertThat(browse.collections()).extracting(c -> String.valueOf(c.manufacturer()) + "|" + c.collection() + "|" + c.files())
                .containsExactlyElementsOf(fixtures.rows("""
                        SELECT coalesce(manufacturer, 'null') || '|' || collection || '|' || count(*) FROM files
                         WHERE collection IS NOT NULL GROUP BY manufacturer, collection
                         ORDER BY coalesce(manufacturer, ''), collection""").stream().map(r -> r.get(0)).toList());
        assertThat(browse.collections("Acme")).extracting(c -> c.collection() + "|" + c.files())
                .containsExactlyElementsOf(fixtures.rows("""
                        SELECT collection || '|' || count(*) FROM files WHERE manufacturer = 'Acme'
                           AND collection IS NOT NULL GROUP BY collection ORDER BY collection""")
                        .stream().map(r -> r.get(0)).toList());
        assertThat(browse.collections("Nobody")).isEmpty();
    }

    @Test
    void collections_ofAManufacturerWhoseFolderEndsInASpace_areFoundByTheNameListed() {
        fixtures.file("/lib/Spaced Maker /Pack/a.mid", "Spaced Maker ", "Pack", 0, 0, 4, 4);
        assertThat(browse.manufacturers()).extracting(NameCount::name).contains("Spaced Maker ");
        try (MidiCatalog cached = MidiCatalog.builder().dataSource(catalog.dataSource()).cache(CacheSpec.defaults())
                .build()) {
            for (BrowseRepository lists : List.of(browse, cached.browse())) {
                assertThat(lists.collections("Spaced Maker ")).extracting(CollectionCount::collection)
                        .containsExactly("Pack");
            }
        }
    }

    @Test
    void collections_ofAManufacturerWithNul_isRejectedBeforeTheDatabase() {
        assertThatThrownBy(() -> browse.collections("Ac\u0000me")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("manufacturer must not contain NUL (U+0000), found at position 2");
    }

    @Test
    void keysCategoriesAndMeters_equalAGroupBy() {
        assertThat(browse.keys()).extracting(k -> k.key().code() + "|" + k.files())
                .containsExactlyElementsOf(column("SELECT key_code || '|' || count(*) FROM files GROUP BY key_code ORDER BY key_code"));
        assertThat(browse.categories()).extracting(c -> c.category().code() + "|" + c.files())
                .containsExactlyElementsOf(column("SELECT category || '|' || count(*) FROM files GROUP BY category ORDER BY category"));
        assertThat(browse.timeSignatures()).extracting(t -> t.timeSignature() + "|" + t.files())
                .containsExactlyElementsOf(column("""
                        SELECT time_sig_num || '/' || time_sig_den || '|' || count(*) FROM files
                         WHERE time_sig_num IS NOT NULL AND time_sig_den IS NOT NULL
                         GROUP BY time_sig_num, time_sig_den ORDER BY count(*) DESC, time_sig_num, time_sig_den"""));
    }

    @Test
    void recentFiles_newestFirst() {
        List<RecentFile> recent = browse.recentFiles(10);
        assertThat(recent).extracting(RecentFile::id).containsExactlyElementsOf(
                column("SELECT id FROM files ORDER BY created_at DESC, id DESC LIMIT 10").stream().map(Long::parseLong).toList());
        assertThatThrownBy(() -> browse.recentFiles(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limit must be 1-1000: 0");
        assertThatThrownBy(() -> browse.collections(" ")).hasMessage("manufacturer must not be blank: ' '");
    }

    @Test
    void compaction_foldsDeltasIntoOneRowPerValue_andChangesNoCount() {
        List<?> before = List.of(browse.manufacturers(), browse.collections(), browse.keys(), browse.categories(),
                browse.timeSignatures(), catalog.tags().withCounts());
        fixtures.execute("SELECT browse_compact_counts()");
        assertThat(List.of(browse.manufacturers(), browse.collections(), browse.keys(), browse.categories(),
                browse.timeSignatures(), catalog.tags().withCounts())).isEqualTo(before);
        assertThat(fixtures.queryLong("SELECT count(*) FROM browse_counts")).isEqualTo(
                fixtures.queryLong("SELECT count(DISTINCT (dimension, a, b)) FROM browse_counts"));
    }

    private static List<String> column(String sql) {
        return fixtures.rows(sql).stream().map(r -> r.get(0)).toList();
    }
}
