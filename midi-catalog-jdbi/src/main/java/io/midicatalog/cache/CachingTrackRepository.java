package io.midicatalog.cache;

import io.midicatalog.api.TrackEntry;
import io.midicatalog.api.TrackRepository;
import io.midicatalog.jdbi.internal.TrackLoading;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Track entries from a cache; the misses of a batch are loaded in one round trip. */
final class CachingTrackRepository extends TrackLoading {
    private final TrackRepository delegate;
    private final GuardedCache<Long, TrackEntry> cache;

    CachingTrackRepository(TrackRepository delegate, GuardedCache<Long, TrackEntry> cache) {
        this.delegate = delegate;
        this.cache = cache;
    }

    @Override
    protected Optional<TrackEntry> loadOne(long id) {
        return Optional.ofNullable(cache.get(id, key -> delegate.load(key).orElse(null)));
    }

    @Override
    protected Collection<TrackEntry> loadDistinct(Set<Long> ids) {
        Map<Long, TrackEntry> values = cache.getAll(ids, missing -> {
            Map<Long, TrackEntry> found = new HashMap<>();
            for (TrackEntry entry : delegate.load(missing).entries()) {
                found.put(entry.id(), entry);
            }
            return found;
        });
        List<TrackEntry> rows = new ArrayList<>(values.size());
        for (TrackEntry entry : values.values()) {
            if (entry != null) {
                rows.add(entry);
            }
        }
        return rows;
    }
}
