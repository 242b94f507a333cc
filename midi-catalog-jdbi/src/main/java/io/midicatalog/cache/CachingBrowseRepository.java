package io.midicatalog.cache;

import io.midicatalog.api.BrowseRepository;
import io.midicatalog.api.CategoryCount;
import io.midicatalog.api.CollectionCount;
import io.midicatalog.api.KeyCount;
import io.midicatalog.api.NameCount;
import io.midicatalog.api.RecentFile;
import io.midicatalog.api.TimeSignatureCount;
import io.midicatalog.jdbi.internal.Checks;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/** Browse lists from caches; every list is dropped when files are added or change. */
final class CachingBrowseRepository implements BrowseRepository {
    /** Key of the lists that take no argument (and of "every collection"). */
    static final String ALL = "";

    private final BrowseRepository delegate;
    private final GuardedCache<String, List<NameCount>> manufacturers;
    private final GuardedCache<String, List<CollectionCount>> collections;
    private final GuardedCache<String, List<KeyCount>> keys;
    private final GuardedCache<String, List<CategoryCount>> categories;
    private final GuardedCache<String, List<TimeSignatureCount>> timeSignatures;
    private final GuardedCache<Integer, List<RecentFile>> recent;

    CachingBrowseRepository(BrowseRepository delegate, CatalogCaches caches) {
        this.delegate = delegate;
        this.manufacturers = caches.list(CatalogCaches.MANUFACTURERS);
        this.collections = caches.list(CatalogCaches.COLLECTIONS);
        this.keys = caches.list(CatalogCaches.KEYS);
        this.categories = caches.list(CatalogCaches.CATEGORIES);
        this.timeSignatures = caches.list(CatalogCaches.TIME_SIGNATURES);
        this.recent = caches.recent();
    }

    @Override
    public List<NameCount> manufacturers() {
        return list(manufacturers, ALL, delegate::manufacturers);
    }

    @Override
    public List<CollectionCount> collections() {
        return list(collections, ALL, delegate::collections);
    }

    @Override
    public List<CollectionCount> collections(String manufacturer) {
        String name = Checks.exact(manufacturer, "manufacturer");
        // the key is the name prefixed, so it can never equal ALL
        return list(collections, "m:" + name, () -> delegate.collections(name));
    }

    @Override
    public List<KeyCount> keys() {
        return list(keys, ALL, delegate::keys);
    }

    @Override
    public List<CategoryCount> categories() {
        return list(categories, ALL, delegate::categories);
    }

    @Override
    public List<TimeSignatureCount> timeSignatures() {
        return list(timeSignatures, ALL, delegate::timeSignatures);
    }

    @Override
    public List<RecentFile> recentFiles(int limit) {
        Checks.limit(limit, MAX_RECENT);
        return list(recent, limit, () -> delegate.recentFiles(limit));
    }

    private static <K, T> List<T> list(GuardedCache<K, List<T>> cache, K key, Supplier<List<T>> load) {
        return Objects.requireNonNull(cache.get(key, k -> List.copyOf(load.get())));
    }
}
