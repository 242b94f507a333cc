package io.midicatalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.midicatalog.api.Favorite;
import io.midicatalog.api.FavoritePage;
import io.midicatalog.api.FavoriteRepository;
import io.midicatalog.testing.CatalogFixtures;
import io.midicatalog.testing.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FavoriteRepositoryTest {
    private static MidiCatalog catalog;
    private static CatalogFixtures fixtures;
    private static FavoriteRepository favorites;

    @BeforeAll
    static void setUp() {
        catalog = TestDatabases.migratedCatalog(FavoriteRepositoryTest.class);
        fixtures = new CatalogFixtures(catalog.dataSource());
        favorites = catalog.favorites();
    }

    @AfterAll
    static void tearDown() {
        catalog.close();
    }

    @Test
    void addRemove_reportWhetherAnythingChanged() {
        long id = fixtures.file("/lib/fav/one.mid");
        assertThat(favorites.isFavorite(id)).isFalse();
        assertThat(favorites.add(id)).isTrue();
        assertThat(favorites.add(id)).isFalse();
        assertThat(favorites.isFavorite(id)).isTrue();
        assertThat(favorites.remove(id)).isTrue();
        assertThat(favorites.remove(id)).isFalse();
        assertThat(favorites.add(555_555_555L)).isFalse();
    }

    @Test
    void favoritesAmong_answersForManyIdsAtOnce() {
        List<Long> ids = fixtures.files("among", 4);
        favorites.add(ids.get(1));
        favorites.add(ids.get(3));
        List<Long> asked = new ArrayList<>(ids);
        asked.add(444_444_444L);
        assertThat(favorites.favoritesAmong(asked)).containsExactlyInAnyOrder(ids.get(1), ids.get(3));
    }

    @Test
    void list_pagesThroughEveryFavoriteOnce_newestFirst_evenWithEqualTimestamps() {
        MidiCatalog own = TestDatabases.migratedCatalog(FavoriteRepositoryTest.class);
        try (own) {
            CatalogFixtures data = new CatalogFixtures(own.dataSource());
            List<Long> ids = data.files("page", 23);
            for (long id : ids) {
                own.favorites().add(id);
            }
            // ties on created_at must be broken by file id, or keyset pages skip or repeat rows
            data.execute("UPDATE favorites SET created_at = '2024-01-01T00:00:00Z' WHERE file_id % 3 = 0");
            List<Long> seen = new ArrayList<>();
            FavoritePage page = own.favorites().list(5);
            int pages = 1;
            seen.addAll(page.items().stream().map(Favorite::fileId).toList());
            while (page.nextCursor() != null) {
                page = own.favorites().list(page.nextCursor(), 5);
                seen.addAll(page.items().stream().map(Favorite::fileId).toList());
                pages++;
            }
            assertThat(pages).isEqualTo(5);
            List<Long> expected = data.rows("SELECT file_id FROM favorites ORDER BY created_at DESC, file_id DESC")
                    .stream().map(r -> Long.parseLong(r.get(0))).toList();
            assertThat(seen).containsExactlyElementsOf(expected).doesNotHaveDuplicates().hasSize(23);
        }
    }

    @Test
    void list_cursorWithATimeOutsidePostgresTimestamps_isRejected() {
        long earliest = -210_866_803_200_000_000L;   // 4714-11-24 00:00 UTC BC
        for (long micros : new long[] {Long.MIN_VALUE, earliest - 1}) {
            assertThatThrownBy(() -> favorites.list(favoritesCursor(micros, 3), 5))
                    .as("%d", micros).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("not a favorites cursor");
        }
        long id = fixtures.file("/lib/fav/range.mid");
        favorites.add(id);
        // the range's ends are times like any other (the latest, 294276 AD, is beyond a long)
        assertThat(favorites.list(favoritesCursor(earliest, 3), 5).items()).isEmpty();
        assertThat(favorites.list(favoritesCursor(Long.MAX_VALUE, 3), 1000).items()).extracting(Favorite::fileId)
                .contains(id);
    }

    /** A cursor as the repository writes one, for any position. */
    private static String favoritesCursor(long micros, long fileId) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("fav1:" + micros + ":" + fileId).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void list_badCursorOrSize_isRejected() {
        assertThatThrownBy(() -> favorites.list("bm90LWEtY3Vyc29y", 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a favorites cursor");
        assertThatThrownBy(() -> favorites.list("%%%", 5)).hasMessageStartingWith("not a favorites cursor");
        assertThatThrownBy(() -> favorites.list(0)).hasMessage("limit must be 1-1000: 0");
        assertThatThrownBy(() -> favorites.list(1001)).hasMessage("limit must be 1-1000: 1001");
        assertThatThrownBy(() -> favorites.favoritesAmong(List.of())).hasMessage("ids must not be empty");
        assertThatThrownBy(() -> favorites.add(0)).hasMessage("file id must be positive: 0");
    }
}
