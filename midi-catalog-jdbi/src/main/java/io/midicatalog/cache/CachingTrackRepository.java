package io.midicatalog.cache;

import io.midicatalog.api.TrackBatch;
import io.midicatalog.api.TrackEntry;
import io.midicatalog.api.TrackRepository;
import io.midicatalog.jdbi.JdbiTrackRepository;
import io.midicatalog.jdbi.internal.Checks;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Track entries from a cache; misses of a batch are loaded in one round trip. */
final class CachingTrackRepository implements TrackRepository {
    private final TrackRepository delegate;
    private final GuardedCache<Long, TrackEntry> cache;

    CachingTrackRepository(TrackRepository delegate, GuardedCache<Long, TrackEntry> cache) {
        this.delegate = delegate;
        this.cache = cache;
    }

    @Override
    public Optional<TrackEntry> load(long id) {
        Checks.id(id);
        return Optional.ofNullable(cache.get(id, key -> delegate.load(key).orElse(null)));
    }

    @Override
    public TrackBatch load(long... ids) {
        return loadChecked(Checks.ids(ids));
    }

    @Override
    public TrackBatch load(Collection<Long> ids) {
        return loadChecked(Checks.ids(ids));
    }

    private TrackBatch loadChecked(long[] ids) {
        Set<Long> asked = new LinkedHashSet<>();
        for (long id : ids) {
            asked.add(id);
        }
        Map<Long, TrackEntry> values = cache.getAll(asked, missing -> {
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
        return JdbiTrackRepository.inAskedOrder(asked, rows);
    }
}
