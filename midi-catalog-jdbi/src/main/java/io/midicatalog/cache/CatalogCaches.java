package io.midicatalog.cache;

import io.midicatalog.api.BrowseRepository;
import io.midicatalog.api.FileDetails;
import io.midicatalog.api.FileDetailsRepository;
import io.midicatalog.api.SearchPage;
import io.midicatalog.api.SearchQuery;
import io.midicatalog.api.SearchRepository;
import io.midicatalog.api.TrackEntry;
import io.midicatalog.api.TrackRepository;
import io.midicatalog.internal.CatalogChanges;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The caches of one catalog: the decorators of the read repositories, and the change listener that
 * invalidates exactly what a write could have made stale. {@code MidiCatalog} builds one when a
 * {@link CacheSpec} is enabled and subscribes it to its {@code CatalogChanges}.
 *
 * <p>What each change invalidates:
 * <ul>
 *   <li>files added: those ids in tracks and details (absent entries), every browse and recent list;
 *   <li>files changed: those ids in tracks and details, every browse and recent list;
 *   <li>file tags changed, favorites changed: those ids in details;
 *   <li>tag names changed (rename, merge): every details entry.
 * </ul>
 * Search pages: files added or changed drop every page (any query may now match differently);
 * file tags or tag names changed drop the pages of tag-filtered queries (hits carry no tags);
 * favorites changed drop favorites-only pages and the pages that show one of those files.
 */
public final class CatalogCaches implements CatalogChanges.Listener {
    public static final String DETAILS = "details";
    public static final String TRACKS = "tracks";
    public static final String MANUFACTURERS = "manufacturers";
    public static final String COLLECTIONS = "collections";
    public static final String KEYS = "keys";
    public static final String CATEGORIES = "categories";
    public static final String TIME_SIGNATURES = "timeSignatures";
    public static final String RECENT_FILES = "recentFiles";
    public static final String SEARCH = "search";

    private final Map<String, GuardedCache<?, ?>> byName = new LinkedHashMap<>();
    private final GuardedCache<Long, FileDetails> details;
    private final GuardedCache<Long, TrackEntry> tracks;
    private final GuardedCache<SearchQuery, SearchPage> searches;
    private final List<GuardedCache<?, ?>> fileLists = new ArrayList<>();
    private final CacheSpec spec;
    private final TrackRepository trackRepository;
    private final FileDetailsRepository detailsRepository;
    private final BrowseRepository browseRepository;
    private final SearchRepository searchRepository;

    /** @throws IllegalArgumentException when the spec is disabled (build no caches then) */
    public CatalogCaches(CacheSpec spec, TrackRepository tracks, FileDetailsRepository details, BrowseRepository browse,
                         SearchRepository search) {
        if (!spec.enabled()) {
            throw new IllegalArgumentException("cache spec is disabled: " + spec);
        }
        this.spec = spec;
        this.details = register(DETAILS, new GuardedCache<>(spec.detailsMaxSize(), spec.detailsTtl()));
        this.tracks = register(TRACKS, new GuardedCache<>(spec.tracksMaxSize(), spec.tracksTtl()));
        for (String name : List.of(MANUFACTURERS, COLLECTIONS, KEYS, CATEGORIES, TIME_SIGNATURES)) {
            fileLists.add(register(name, new GuardedCache<>(spec.listsMaxSize(), spec.listsTtl())));
        }
        fileLists.add(register(RECENT_FILES, new GuardedCache<>(spec.recentMaxSize(), spec.recentTtl())));
        this.searches = register(SEARCH, new GuardedCache<>(spec.searchMaxSize(), spec.searchTtl()));
        this.trackRepository = new CachingTrackRepository(tracks, this.tracks);
        this.detailsRepository = new CachingFileDetailsRepository(details, this.details);
        this.browseRepository = new CachingBrowseRepository(browse, this);
        // a null query fails as the uncached search does, not inside Caffeine with no message
        this.searchRepository = query -> searches.get(Objects.requireNonNull(query, "query"), search::search);
    }

    private <K, V> GuardedCache<K, V> register(String name, GuardedCache<K, V> cache) {
        byName.put(name, cache);
        return cache;
    }

    public TrackRepository tracks() {
        return trackRepository;
    }

    public FileDetailsRepository details() {
        return detailsRepository;
    }

    public BrowseRepository browse() {
        return browseRepository;
    }

    /**
     * Search pages keyed by the whole query (filters, sort, page size and cursor), so a page is
     * reused only for exactly the same question.
     */
    public SearchRepository search() {
        return searchRepository;
    }

    public CacheSpec spec() {
        return spec;
    }

    /** Counters of every cache by name ({@link #DETAILS}, {@link #TRACKS}, ...), in a stable order. */
    public Map<String, CacheStatistics> statistics() {
        Map<String, CacheStatistics> result = new LinkedHashMap<>();
        byName.forEach((name, cache) -> result.put(name, cache.statistics()));
        return java.util.Collections.unmodifiableMap(result);
    }

    @SuppressWarnings("unchecked")
    <K, V> GuardedCache<K, V> list(String name) {
        return (GuardedCache<K, V>) byName.get(name);
    }

    @SuppressWarnings("unchecked")
    <V> GuardedCache<Integer, V> recent() {
        return (GuardedCache<Integer, V>) byName.get(RECENT_FILES);
    }

    @Override
    public void filesAdded(long[] fileIds) {
        fileRowsChanged(fileIds);
    }

    @Override
    public void filesChanged(long[] fileIds) {
        fileRowsChanged(fileIds);
    }

    private void fileRowsChanged(long[] fileIds) {
        Collection<Long> ids = boxed(fileIds);
        tracks.invalidate(ids);
        details.invalidate(ids);
        fileLists.forEach(GuardedCache::invalidateAll);
        // a new or changed file may now match (or stop matching) any query
        searches.invalidateAll();
    }

    @Override
    public void fileTagsChanged(long[] fileIds) {
        details.invalidate(boxed(fileIds));
        // search hits carry no tags: only pages filtered by tags can change
        searches.invalidateIf((query, page) -> filtersOnTags(query));
    }

    @Override
    public void favoritesChanged(long[] fileIds) {
        details.invalidate(boxed(fileIds));
        // hits carry the favorite flag: pages showing one of these files, and favorites-only pages
        java.util.Set<Long> changed = new java.util.HashSet<>(boxed(fileIds));
        searches.invalidateIf((query, page) -> query.favoritesOnly()
                || page == null || page.rows().stream().anyMatch(hit -> changed.contains(hit.id())));
    }

    @Override
    public void tagNamesChanged() {
        details.invalidateAll();
        searches.invalidateIf((query, page) -> filtersOnTags(query));
    }

    private static boolean filtersOnTags(SearchQuery query) {
        return !query.tagsAll().isEmpty() || !query.tagsAny().isEmpty();
    }

    private static Collection<Long> boxed(long[] ids) {
        List<Long> result = new ArrayList<>(ids.length);
        for (long id : ids) {
            result.add(id);
        }
        return result;
    }

    @Override
    public String toString() {
        return "CatalogCaches" + byName.keySet();
    }
}
