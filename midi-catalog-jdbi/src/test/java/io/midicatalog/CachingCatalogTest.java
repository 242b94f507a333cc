package io.midicatalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.midicatalog.api.Category;
import io.midicatalog.api.FileDetails;
import io.midicatalog.api.FileLocation;
import io.midicatalog.api.MusicalKey;
import io.midicatalog.api.NameCount;
import io.midicatalog.api.RecentFile;
import io.midicatalog.api.SearchHit;
import io.midicatalog.api.SearchPage;
import io.midicatalog.api.SearchQuery;
import io.midicatalog.api.SearchRepository;
import io.midicatalog.api.TrackEntry;
import io.midicatalog.cache.CacheSpec;
import io.midicatalog.cache.CacheStatistics;
import io.midicatalog.cache.CatalogCaches;
import io.midicatalog.testing.CatalogFixtures;
import io.midicatalog.testing.Corpus;
import io.midicatalog.testing.StatementCounter;
import io.midicatalog.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each kind of write through the catalog, after a read that filled the cache: the next read must
 * show the write. Every test first proves the value was served from the cache (a hit), so a
 * missing invalidation would fail it.
 */
class CachingCatalogTest {
    private static MidiCatalog catalog;
    private static CatalogFixtures fixtures;

    @BeforeAll
    static void setUp() {
        catalog = MidiCatalog.builder().dataSource(TestDatabases.fresh(CachingCatalogTest.class))
                .cache(CacheSpec.defaults()).build();
        catalog.migrate();
        fixtures = new CatalogFixtures(catalog.dataSource());
    }

    @AfterAll
    static void tearDown() {
        catalog.close();
    }

    @Test
    void searchWithoutAQuery_failsAsTheUncachedSearchDoes() {
        try (MidiCatalog uncached = new MidiCatalog(catalog.dataSource())) {
            Throwable plain = catchThrowable(() -> uncached.search().search(null));
            assertThat(plain).isNotNull();
            assertThatThrownBy(() -> catalog.search().search(null))
                    .isExactlyInstanceOf(plain.getClass())
                    .hasMessage(plain.getMessage());
        }
    }

    /** Reads the details twice and checks the second read was a cache hit. */
    private static FileDetails cachedDetails(long id) {
        catalog.details().get(id);
        long hits = stats(CatalogCaches.DETAILS).hits();
        FileDetails details = catalog.details().get(id).orElseThrow();
        assertThat(stats(CatalogCaches.DETAILS).hits()).as("served from the cache").isEqualTo(hits + 1);
        return details;
    }

    private static CacheStatistics stats(String name) {
        return catalog.cacheStats().get(name);
    }

    /** Runs a search twice and checks the second was a cache hit. */
    private static SearchPage cachedSearch(SearchQuery query) {
        catalog.search().search(query);
        long hits = stats(CatalogCaches.SEARCH).hits();
        SearchPage page = catalog.search().search(query);
        assertThat(stats(CatalogCaches.SEARCH).hits()).as("served from the cache").isEqualTo(hits + 1);
        return page;
    }

    @Test
    void search_afterFavoriteChange_showsTheNewFlagAndFavoritesOnlyPages() {
        long id = fixtures.file("/lib/cache/searchfav/Zebrafinch_Lead.mid");
        SearchQuery byName = SearchQuery.builder().text("zebrafinch").build();
        SearchQuery favoritesOnly = SearchQuery.builder().text("zebrafinch").favoritesOnly(true).build();
        assertThat(cachedSearch(byName).rows()).extracting(SearchHit::favorite).containsExactly(false);
        assertThat(cachedSearch(favoritesOnly).rows()).isEmpty();
        catalog.favorites().add(id);
        assertThat(catalog.search().search(byName).rows()).extracting(SearchHit::favorite).containsExactly(true);
        assertThat(catalog.search().search(favoritesOnly).rows()).extracting(SearchHit::id).containsExactly(id);
    }

    @Test
    void search_afterTagChange_refreshesTagFilteredPagesOnly() {
        long id = fixtures.file("/lib/cache/searchtag/Quokka_Bass.mid");
        SearchQuery tagged = SearchQuery.builder().tagsAll(List.of("quokkatag")).build();
        SearchQuery untagged = SearchQuery.builder().text("quokka").build();
        assertThat(cachedSearch(tagged).rows()).isEmpty();
        cachedSearch(untagged);
        catalog.tags().add(id, "quokkatag");
        assertThat(catalog.search().search(tagged).rows()).extracting(SearchHit::id).containsExactly(id);
        long hits = stats(CatalogCaches.SEARCH).hits();
        catalog.search().search(untagged);
        assertThat(stats(CatalogCaches.SEARCH).hits()).as("a page without tag filters stays cached").isEqualTo(hits + 1);
    }

    @Test
    void search_afterImport_findsTheNewFile() {
        SearchQuery query = SearchQuery.builder().text("narwhal").build();
        assertThat(cachedSearch(query).rows()).isEmpty();
        long id = fixtures.file("/lib/cache/searchimport/Narwhal_Pad.mid");
        catalog.changes().filesAdded(new long[] {id});
        assertThat(catalog.search().search(query).rows()).extracting(SearchHit::id).containsExactly(id);
    }

    @Test
    void details_afterTagAddAndRemove_areFresh() {
        long id = fixtures.file("/lib/cache/tag.mid");
        assertThat(cachedDetails(id).tags()).isEmpty();
        catalog.tags().add(id, "shiny");
        assertThat(catalog.details().get(id).orElseThrow().tags()).containsExactly("shiny");
        assertThat(cachedDetails(id).tags()).containsExactly("shiny");
        catalog.tags().remove(List.of(id), List.of("SHINY"));
        assertThat(catalog.details().get(id).orElseThrow().tags()).isEmpty();
    }

    @Test
    void details_afterTagRenameAndMerge_areFresh() {
        long id = fixtures.file("/lib/cache/rename.mid");
        long other = fixtures.file("/lib/cache/rename2.mid");
        catalog.tags().add(id, "lofi");
        catalog.tags().add(other, "chill");
        assertThat(cachedDetails(id).tags()).containsExactly("lofi");
        assertThat(cachedDetails(other).tags()).containsExactly("chill");
        catalog.tags().rename("lofi", "lo-fi");
        assertThat(catalog.details().get(id).orElseThrow().tags()).containsExactly("lo-fi");
        assertThat(cachedDetails(other).tags()).containsExactly("chill");
        catalog.tags().merge(List.of("chill"), "lo-fi");
        assertThat(catalog.details().get(other).orElseThrow().tags()).containsExactly("lo-fi");
    }

    @Test
    void details_afterFavoriteAddAndRemove_areFresh() {
        long id = fixtures.file("/lib/cache/fav.mid");
        assertThat(cachedDetails(id).favorite()).isFalse();
        catalog.favorites().add(id);
        assertThat(catalog.details().get(id).orElseThrow().favorite()).isTrue();
        assertThat(cachedDetails(id).favorite()).isTrue();
        catalog.favorites().remove(id);
        assertThat(catalog.details().get(id).orElseThrow().favorite()).isFalse();
    }

    @Test
    void import_newFiles_appearInTracksDetailsListsAndRecent() {
        long next = fixtures.queryLong("SELECT coalesce(max(id), 0) + 1000 FROM files");
        assertThat(catalog.tracks().load(next)).isEmpty();
        assertThat(catalog.details().get(next)).isEmpty();
        catalog.browse().manufacturers();
        catalog.browse().recentFiles(5);
        long trackHits = stats(CatalogCaches.TRACKS).hits();
        assertThat(catalog.tracks().load(next)).isEmpty();   // the absence is cached
        assertThat(stats(CatalogCaches.TRACKS).hits()).isEqualTo(trackHits + 1);

        // what an import does: commit rows, then report them
        fixtures.execute("""
                INSERT INTO files (id, filepath, filename, original_filename, file_size_bytes, content_hash, manufacturer)
                VALUES (?, '/lib/new/imported.mid', 'imported.mid', 'imported.mid', 1, sha256('imported'::bytea),
                        'Brand New Maker')""", next);
        catalog.changes().filesAdded(new long[] {next});

        assertThat(catalog.tracks().load(next)).map(TrackEntry::path).contains("/lib/new/imported.mid");
        assertThat(catalog.details().get(next)).isPresent();
        assertThat(catalog.browse().manufacturers()).extracting(NameCount::name).contains("Brand New Maker");
        assertThat(catalog.browse().recentFiles(5)).extracting(RecentFile::id).contains(next);
    }

    @Test
    void reimport_changedFiles_areFreshInTracksDetailsAndLists() {
        long id = fixtures.file("/lib/cache/old-path.mid", "Old Maker", "Old Pack", 0, 0, 4, 4);
        catalog.tracks().load(id);
        catalog.tracks().load(List.of(id));   // batch path, a hit
        cachedDetails(id);
        assertThat(catalog.browse().collections("Old Maker")).isNotEmpty();

        // what a re-import or a file rename does: update rows, then report them
        fixtures.execute("UPDATE files SET filepath = '/lib/cache/new-path.mid', filename = 'new-path.mid',"
                + " manufacturer = 'New Maker' WHERE id = ?", id);
        catalog.changes().filesChanged(new long[] {id});

        assertThat(catalog.tracks().load(id).orElseThrow().path()).isEqualTo("/lib/cache/new-path.mid");
        assertThat(catalog.tracks().load(List.of(id)).entries().get(0).filename()).isEqualTo("new-path.mid");
        assertThat(catalog.details().get(id).orElseThrow().manufacturer()).isEqualTo("New Maker");
        assertThat(catalog.browse().collections("Old Maker")).isEmpty();
        assertThat(catalog.browse().collections("New Maker")).isNotEmpty();
    }

    @Test
    void details_afterAnImportFindsACopyAtAnotherPath_listTheNewLocation(@TempDir Path dir) throws IOException {
        Path content = Corpus.root().resolve("groove-midi-dataset/groove/drummer6/session1/1_rock_70_beat_6-8.mid");
        Path first = Files.createDirectories(dir.resolve("first")).resolve("copy-one.mid");
        Files.copy(content, first);
        catalog.importer().importDirectory(first);
        long id = fixtures.queryLong("SELECT file_id FROM file_locations WHERE path = ?", first.toString());
        assertThat(cachedDetails(id).locations()).extracting(FileLocation::path).containsExactly(first.toString());

        Path second = Files.createDirectories(dir.resolve("second")).resolve("copy-two.mid");
        Files.copy(content, second);
        assertThat(catalog.importer().importDirectory(second).counts().duplicates()).isEqualTo(1);
        assertThat(cachedDetails(id).locations()).extracting(FileLocation::path)
                .containsExactly(first.toString(), second.toString());

        // touched, same bytes: the import refreshes the location's time, not the file
        Instant touched = Instant.parse("2021-03-04T05:06:07Z");
        Files.setLastModifiedTime(first, FileTime.from(touched));
        assertThat(catalog.importer().importDirectory(first).counts().unchanged()).isEqualTo(1);
        assertThat(catalog.details().get(id).orElseThrow().locations()).extracting(FileLocation::modifiedAt)
                .first().isEqualTo(touched);
    }

    @Test
    void details_afterAnImportFindsAMissingCopyBack_showItPresent(@TempDir Path dir) throws IOException {
        Path content = Corpus.root().resolve("groove-midi-dataset/groove/drummer6/session1/2_rock_70_beat_6-8.mid");
        Path root = Files.createDirectories(dir.resolve("lib"));
        Path kept = root.resolve("kept.mid");
        Path away = root.resolve("away.mid");
        Files.copy(content, kept);
        Files.copy(content, away);
        catalog.importer().importDirectory(root);
        long id = fixtures.queryLong("SELECT file_id FROM file_locations WHERE path = ?", kept.toString());

        Path parked = Files.move(away, dir.resolve("parked.mid"));
        catalog.importer().importDirectory(root);
        assertThat(cachedDetails(id).locations()).filteredOn(l -> l.path().equals(away.toString()))
                .extracting(FileLocation::missingSince).doesNotContainNull();

        Files.move(parked, away);   // back unchanged: the import clears the mark without reading it
        catalog.importer().importDirectory(root);
        assertThat(catalog.details().get(id).orElseThrow().locations()).extracting(FileLocation::missingSince)
                .containsOnlyNulls();
    }

    @Test
    void searchAndTracks_afterAnImportMarksAFileMissingAndFindsItBack_showTheFlag(@TempDir Path dir)
            throws IOException {
        Path content = Corpus.root().resolve("groove-midi-dataset/groove/drummer6/session1/5_rock_60_beat_6-8.mid");
        Path root = Files.createDirectories(dir.resolve("lib"));
        Path only = root.resolve("Wombatgroove.mid");
        Files.copy(content, only);
        catalog.importer().importDirectory(root);
        long id = fixtures.queryLong("SELECT file_id FROM file_locations WHERE path = ?", only.toString());
        SearchQuery query = SearchQuery.builder().text("wombatgroove").build();
        assertThat(cachedSearch(query).rows()).extracting(SearchHit::missing).containsExactly(false);
        catalog.tracks().load(id);
        assertThat(catalog.tracks().load(id).orElseThrow().missing()).isFalse();

        Path parked = Files.move(only, dir.resolve("parked.mid"));
        catalog.importer().importDirectory(root);
        assertThat(cachedSearch(query).rows()).extracting(SearchHit::missing).containsExactly(true);
        assertThat(catalog.tracks().load(id).orElseThrow().missing()).isTrue();

        Files.move(parked, only);
        Files.setLastModifiedTime(only, FileTime.from(Instant.parse("2023-01-01T00:00:00Z")));
        catalog.importer().importDirectory(root);
        assertThat(catalog.search().search(query).rows()).extracting(SearchHit::missing).containsExactly(false);
        assertThat(catalog.tracks().load(id).orElseThrow().missing()).isFalse();
    }

    @Test
    void details_afterAnImportFindsACopyOverwrittenWithOtherContent_dropThatLocation(@TempDir Path dir)
            throws IOException {
        Path session = Corpus.root().resolve("groove-midi-dataset/groove/drummer6/session1");
        Path root = Files.createDirectories(dir.resolve("lib"));
        Path kept = root.resolve("a-kept.mid");
        Path copy = root.resolve("b-copy.mid");
        Files.copy(session.resolve("3_rock_80_beat_6-8.mid"), kept);
        Files.copy(kept, copy);
        catalog.importer().importDirectory(root);
        long id = fixtures.queryLong("SELECT file_id FROM file_locations WHERE path = ?", kept.toString());
        assertThat(cachedDetails(id).locations()).extracting(FileLocation::path)
                .containsExactly(kept.toString(), copy.toString());

        Files.copy(session.resolve("1_rock_70_beat_6-8.mid"), copy, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(copy, FileTime.from(Instant.parse("2022-01-01T00:00:00Z")));
        catalog.importer().importDirectory(root);
        assertThat(catalog.details().get(id).orElseThrow().locations()).extracting(FileLocation::path)
                .containsExactly(kept.toString());
    }

    @Test
    void tagWrite_leavesOtherFilesCached() {
        long tagged = fixtures.file("/lib/cache/exact1.mid");
        long untouched = fixtures.file("/lib/cache/exact2.mid");
        cachedDetails(tagged);
        cachedDetails(untouched);
        catalog.tags().add(tagged, "only-this-one");
        cachedDetails(untouched);   // still a hit: invalidation is per file
    }

    @Test
    void concurrentMisses_ofOneFile_queryTheDatabaseOnce() throws Exception {
        long id = fixtures.file("/lib/cache/stampede.mid");
        StatementCounter counter = StatementCounter.installOn(catalog.readJdbi());
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<FileDetails>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return catalog.details().get(id).orElseThrow();
                }));
            }
            start.countDown();
            for (Future<FileDetails> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS).id()).isEqualTo(id);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(counter.count()).isEqualTo(1);
    }

    @Test
    void search_favoriteChangeReportedWhileAPageLoads_theInFlightPageIsNotKept() throws Exception {
        SearchQuery query = SearchQuery.builder().text("racing").build();
        assertThat(pageAfterAChangeDuringItsLoad(query, caches -> caches.favoritesChanged(new long[] {7}))
                .rows()).extracting(SearchHit::favorite).containsExactly(true);
    }

    @Test
    void search_tagChangeReportedWhileATagFilteredPageLoads_theInFlightPageIsNotKept() throws Exception {
        SearchQuery query = SearchQuery.builder().tagsAll(List.of("racing")).build();
        assertThat(pageAfterAChangeDuringItsLoad(query, caches -> caches.fileTagsChanged(new long[] {7}))
                .rows()).extracting(SearchHit::favorite).containsExactly(true);
    }

    /**
     * Loads {@code query} through a search cache whose database changes file 7 while the first load
     * is reading (the hit's favorite flag stands for the changed row), reports the change with
     * {@code report} before that load finishes, and returns the page a search asked after the
     * report gets.
     */
    private static SearchPage pageAfterAChangeDuringItsLoad(SearchQuery query, Consumer<CatalogCaches> report)
            throws Exception {
        AtomicBoolean written = new AtomicBoolean();
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SearchRepository slowSearch = q -> {
            boolean flag = written.get();   // the read happens before the write commits
            if (reading.getCount() > 0) {
                reading.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            SearchHit hit = new SearchHit(7, "/lib/a.mid", "a.mid", null, null, null, MusicalKey.UNKNOWN, null, null,
                    Category.UNKNOWN, flag, 1.0, false);
            return new SearchPage(List.of(hit), null, 1, false, null);
        };
        CatalogCaches caches = new CatalogCaches(CacheSpec.defaults(), null, null, null, slowSearch);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<SearchPage> first = pool.submit(() -> caches.search().search(query));
            reading.await();
            written.set(true);
            report.accept(caches);
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS).rows()).extracting(SearchHit::favorite).containsExactly(false);
            return caches.search().search(query);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void cacheStats_nameEveryCache() {
        assertThat(catalog.cacheStats()).containsOnlyKeys(CatalogCaches.DETAILS, CatalogCaches.TRACKS,
                CatalogCaches.MANUFACTURERS, CatalogCaches.COLLECTIONS, CatalogCaches.KEYS, CatalogCaches.CATEGORIES,
                CatalogCaches.TIME_SIGNATURES, CatalogCaches.RECENT_FILES, CatalogCaches.SEARCH);
        try (MidiCatalog uncached = new MidiCatalog(catalog.dataSource())) {
            assertThat(uncached.cacheStats()).isEmpty();
        }
    }
}
